// svc debug plans: the scheduler state and every plan with its step counts and step errors (JSON).
import type { Command } from 'commander';
import type { DebugFilter, JsonValue, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';
import { filterOf, filterOptions } from './filtered.js';

export function register(debug: Command, deps: CliDeps): void {
  examples(filterOptions(debug.command('plans').description('the scheduler state and every plan with its step counts and step errors (JSON)')), 'svc debug plans', 'svc debug plans --plan deploy --phase hello').action(
    async (o: DebugFilter, cmd: Command) => deps.io.out(apiJson(await run({ globals: globalsOf(cmd), filter: filterOf(o) }, deps))),
  );
}

export async function run(opts: { globals: GlobalOptions; filter: DebugFilter }, deps: CliDeps): Promise<Response<JsonValue>> {
  return (await deps.client(opts.globals)).debugPlans(opts.filter);
}

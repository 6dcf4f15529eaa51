// svc plan list: the names of the service's plans (JSON).
import type { Command } from 'commander';
import type { Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(plan: Command, deps: CliDeps): void {
  examples(plan.command('list').description("names of the service's plans (JSON)").option('--json', 'print JSON (the default)'), 'svc plan list', 'svc --name memcache plan list').action(
    async (_o: unknown, cmd: Command) => deps.io.out(apiJson(await run(globalsOf(cmd), deps))),
  );
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<string[]>> {
  return (await deps.client(g)).plans();
}

// svc config target: the target configuration, what the scheduler deploys now.
import type { Command } from 'commander';
import type { JsonValue, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(config: Command, deps: CliDeps): void {
  examples(config.command('target').description('the target configuration: what the scheduler deploys now').option('--json', 'print JSON (the default)'), 'svc config target', 'svc config target | jq .pods').action(
    async (_o: unknown, cmd: Command) => deps.io.out(apiJson(await run(globalsOf(cmd), deps))),
  );
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<JsonValue>> {
  return (await deps.client(g)).configTarget();
}

// svc config list: the ids of every stored configuration.
import type { Command } from 'commander';
import type { Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(config: Command, deps: CliDeps): void {
  examples(config.command('list').description('ids of every stored configuration').option('--json', 'print JSON (the default)'), 'svc config list').action(async (_o: unknown, cmd: Command) =>
    deps.io.out(apiJson(await run(globalsOf(cmd), deps))),
  );
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<string[]>> {
  return (await deps.client(g)).configurations();
}

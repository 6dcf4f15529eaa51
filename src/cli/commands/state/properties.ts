// svc state properties: the keys of every stored property.
import type { Command } from 'commander';
import type { JsonValue, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(state: Command, deps: CliDeps): void {
  examples(state.command('properties').description('the keys of every stored property').option('--json', 'print JSON (the default)'), 'svc state properties').action(async (_o: unknown, cmd: Command) =>
    deps.io.out(apiJson(await run(globalsOf(cmd), deps))),
  );
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<JsonValue>> {
  return (await deps.client(g)).properties();
}

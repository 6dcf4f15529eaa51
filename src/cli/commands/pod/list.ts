// svc pod list: the names of the pod instances (JSON).
import type { Command } from 'commander';
import type { Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(pod: Command, deps: CliDeps): void {
  examples(pod.command('list').description('names of the pod instances (JSON)').option('--json', 'print JSON (the default)'), 'svc pod list').action(async (_o: unknown, cmd: Command) =>
    deps.io.out(apiJson(await run(globalsOf(cmd), deps))),
  );
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<string[]>> {
  return (await deps.client(g)).pods();
}

// svc pod info <pod>: each task of a pod instance as the scheduler stores it (JSON).
import type { Command } from 'commander';
import type { JsonValue, Response } from '../../../client/index.js';
import type { CliDeps } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';
import { orPods, type PodTarget } from './common.js';

export function register(pod: Command, deps: CliDeps): void {
  examples(
    pod
      .command('info')
      .description('each task of a pod instance as the scheduler stores it: task info and last status (JSON)')
      .argument('<pod>', 'pod instance, e.g. hello-0')
      .option('--json', 'print JSON (the default)'),
    'svc pod info hello-0',
  ).action(async (name: string, _o: unknown, cmd: Command) => deps.io.out(apiJson(await run({ globals: globalsOf(cmd), pod: name }, deps))));
}

export async function run(t: PodTarget, deps: CliDeps): Promise<Response<JsonValue>> {
  const c = await deps.client(t.globals);
  return orPods(c, t.pod, () => c.podInfo(t.pod));
}

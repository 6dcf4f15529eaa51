// svc pod pause <pod> [-t task...]: relaunch tasks of a pod instance running `sleep` instead of their command, to debug them.
import type { Command } from 'commander';
import type { Response } from '../../../client/index.js';
import type { CliDeps } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';
import { orPods, type PodTarget } from './common.js';

export function register(pod: Command, deps: CliDeps): void {
  examples(
    pod
      .command('pause')
      .description('relaunch tasks of a pod instance running `sleep` instead of their command, to debug them')
      .argument('<pod>', 'pod instance, e.g. hello-0')
      .option('-t, --task <task...>', 'only these tasks (short or full names)'),
    'svc pod pause hello-0',
    'svc pod pause hello-0 -t server',
  ).action(async (name: string, o: { task?: string[] }, cmd: Command) => deps.io.out(apiJson(await run({ globals: globalsOf(cmd), pod: name, tasks: o.task }, deps))));
}

export async function run(t: PodTarget & { tasks?: string[] }, deps: CliDeps): Promise<Response<{ pod: string; tasks: string[] }>> {
  const c = await deps.client(t.globals);
  return orPods(c, t.pod, () => c.podAction(t.pod, 'pause', t.tasks), t.tasks);
}

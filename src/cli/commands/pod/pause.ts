// svc pod pause <pod> [-t task...]: relaunch tasks of a pod instance running `sleep` instead of their command, to debug them.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';
import { actionOutput, orPods, type PodActionResponse, type PodTarget } from './common.js';

export function register(pod: Command, deps: CliDeps): void {
  examples(
    pod
      .command('pause')
      .description('relaunch tasks of a pod instance running `sleep` instead of their command, to debug them')
      .argument('<pod>', 'pod instance, e.g. hello-0')
      .option('-t, --task <task...>', 'only these tasks (short or full names)')
      .option('--json', "print the API's JSON (the default when stdout is not a terminal)"),
    'svc pod pause hello-0',
    'svc pod pause hello-0 -t server',
  ).action(async (name: string, o: { task?: string[]; json?: boolean }, cmd: Command) => {
    const res = await run({ globals: globalsOf(cmd), pod: name, tasks: o.task }, deps);
    deps.io.out(actionOutput(res, (tasks) => `pausing ${tasks}: relaunched running sleep; debug with: svc task exec -it ${res.body.tasks[0]} sh; then: svc pod resume ${name}`, o.json, deps.io));
  });
}

export async function run(t: PodTarget & { tasks?: string[] }, deps: CliDeps): Promise<PodActionResponse> {
  const c = await deps.client(t.globals);
  return orPods(c, t.pod, () => c.podAction(t.pod, 'pause', t.tasks), t.tasks);
}

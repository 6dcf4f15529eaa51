// svc pod resume <pod> [-t task...]: relaunch paused tasks with their real command. Tasks that are
// not paused are left alone: resuming one would kill it for nothing (--force does it anyway).
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { failed } from '../../errors.js';
import { examples, globalsOf } from '../shared.js';
import { actionOutput, orPods, type PodActionResponse, type PodTarget } from './common.js';

const PAUSED = new Set(['PAUSED', 'PAUSING']);

export function register(pod: Command, deps: CliDeps): void {
  examples(
    pod
      .command('resume')
      .description('relaunch paused tasks with their real command')
      .argument('<pod>', 'pod instance, e.g. hello-0')
      .option('-t, --task <task...>', 'only these tasks (short or full names)')
      .option('--force', 'relaunch the tasks even if they are not paused (kills them)')
      .option('--json', "print the API's JSON (the default when stdout is not a terminal)"),
    'svc pod resume hello-0',
    'svc pod resume hello-0 -t server',
  ).action(async (name: string, o: { task?: string[]; force?: boolean; json?: boolean }, cmd: Command) => {
    const res = await run({ globals: globalsOf(cmd), pod: name, tasks: o.task, force: o.force }, deps);
    deps.io.out(actionOutput(res, (tasks) => `resuming ${tasks}: relaunched with their command; follow with: svc pod status ${name}`, o.json, deps.io));
  });
}

export async function run(t: PodTarget & { tasks?: string[]; force?: boolean }, deps: CliDeps): Promise<PodActionResponse> {
  const c = await deps.client(t.globals);
  let tasks = t.tasks;
  if (!t.force) {
    const { body } = await orPods(c, t.pod, () => c.podInstanceStatus(t.pod));
    const named = (x: { name: string }) => !t.tasks?.length || t.tasks.some((n) => n === x.name || `${t.pod}-${n}` === x.name);
    const selected = body.tasks.filter(named);
    const paused = selected.filter((x) => PAUSED.has(x.status ?? ''));
    if (paused.length === 0) {
      const what = t.tasks?.length ? `${selected.map((x) => x.name).join(', ')} ${selected.length > 1 ? 'are' : 'is'}` : `${t.pod} is`;
      // an unknown -t task falls through to the API, which names it
      if (selected.length > 0 || !t.tasks?.length) throw failed(`${what} not paused; nothing to resume (--force relaunches anyway)`);
    } else if (paused.length < selected.length) tasks = paused.map((x) => x.name); // only the paused ones
  }
  return orPods(c, t.pod, () => c.podAction(t.pod, 'resume', tasks), tasks);
}

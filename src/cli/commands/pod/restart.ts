// svc pod restart <pod> [--wait]: kill a pod instance's tasks and relaunch them in place.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';
import { actionOutput, orPods, taskIds, waitForPod, waitOptions, type PodActionResponse, type PodTarget } from './common.js';

export interface PodWaitOptions {
  wait?: boolean;
  /** Seconds. */
  timeout?: number;
  /** Print the API's JSON even on a terminal. */
  json?: boolean;
}

export function register(pod: Command, deps: CliDeps): void {
  examples(
    waitOptions(
      pod
        .command('restart')
        .description("kill a pod instance's tasks and relaunch them in place (same agent, volumes kept)")
        .argument('<pod>', 'pod instance, e.g. hello-0')
        .option('--json', "print the API's JSON (the default when stdout is not a terminal)"),
    ),
    'svc pod restart hello-0',
    'svc pod restart hello-0 --wait',
  ).action(async (name: string, o: PodWaitOptions, cmd: Command) => {
    await run({ globals: globalsOf(cmd), pod: name, ...o }, deps);
  });
}

export async function run(t: PodTarget & PodWaitOptions, deps: CliDeps): Promise<PodActionResponse> {
  const c = await deps.client(t.globals);
  const before = t.wait ? await taskIds(c, t.pod) : new Map<string, string>();
  const res = await orPods(c, t.pod, () => c.podAction(t.pod, 'restart'));
  deps.io.out(actionOutput(res, (tasks) => `restarting ${t.pod} in place (${tasks})${t.wait ? '' : `; follow with: svc pod status ${t.pod}`}`, t.json, deps.io));
  if (t.wait) await waitForPod(c, deps.io, t.pod, res.body.tasks, before, { timeoutMs: (t.timeout ?? 300) * 1000, doing: 'restarting' });
  return res;
}

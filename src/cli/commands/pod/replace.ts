// svc pod replace <pod> [--wait]: destroy a pod instance's volumes and reservations and launch it afresh; asks first.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { failed, usageError } from '../../errors.js';
import { examples, globalsOf } from '../shared.js';
import { actionOutput, orPods, taskIds, waitForPod, waitOptions, type PodActionResponse, type PodTarget } from './common.js';
import type { PodWaitOptions } from './restart.js';

export function register(pod: Command, deps: CliDeps): void {
  examples(
    waitOptions(
      pod
        .command('replace')
        .description('destroy a pod instance (volumes and reservations) and launch it on fresh resources')
        .argument('<pod>', 'pod instance, e.g. hello-0')
        .option('-y, --yes', 'do not ask for confirmation')
        .option('--json', "print the API's JSON (the default when stdout is not a terminal)"),
    ),
    'svc pod replace hello-0          # asks first',
    'svc pod replace hello-0 --yes --wait',
  ).action(async (name: string, o: PodWaitOptions & { yes?: boolean }, cmd: Command) => {
    await run({ globals: globalsOf(cmd), pod: name, ...o }, deps);
  });
}

export async function run(t: PodTarget & PodWaitOptions & { yes?: boolean }, deps: CliDeps): Promise<PodActionResponse> {
  if (!t.yes) {
    if (!deps.io.canPrompt) throw usageError(`refusing to replace ${t.pod} (its data is destroyed) without --yes when not running interactively`);
    if (!(await deps.prompter.confirm(`Replace ${t.pod}? Its volumes are destroyed.`))) throw failed(`cancelled; ${t.pod} was not replaced`);
  }
  const c = await deps.client(t.globals);
  const before = t.wait ? await taskIds(c, t.pod) : new Map<string, string>();
  const res = await orPods(c, t.pod, () => c.podAction(t.pod, 'replace'));
  deps.io.out(actionOutput(res, (tasks) => `replacing ${t.pod} on fresh resources (${tasks})${t.wait ? '' : `; follow with: svc pod status ${t.pod}`}`, t.json, deps.io));
  if (t.wait) await waitForPod(c, deps.io, t.pod, res.body.tasks, before, { timeoutMs: (t.timeout ?? 300) * 1000, doing: 'being replaced' });
  return res;
}

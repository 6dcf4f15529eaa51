// What the pod verbs share: an unknown pod answered with the pods there are, an unknown task with
// where to find them; their output; waiting until a pod's tasks run again.
import type { Command } from 'commander';
import { ApiError, type PodInstanceStatusJson, type Response, type SvcClient } from '../../../client/index.js';
import type { GlobalOptions } from '../../deps.js';
import { failed } from '../../errors.js';
import type { Io } from '../../io.js';
import { poll } from '../../wait.js';
import { apiJson, listOrNone, on404, positiveInt } from '../shared.js';

export interface PodTarget {
  globals: GlobalOptions;
  pod: string;
}

/** Runs `work`; a 404 says which pod (or which of `tasks`) does not exist, and what does, not the wire. */
export const orPods = <T>(c: SvcClient, name: string, work: () => Promise<T>, tasks: readonly string[] = []): Promise<T> =>
  on404(work, async () => {
    const pods = (await c.pods()).body;
    if (pods.includes(name) && tasks.length > 0) return `${name} has no task ${tasks.map((t) => `"${t}"`).join(', ')} (see: svc pod status ${name})`;
    return `pod "${name}" not found; pods: ${listOrNone(pods)}`;
  });

export type PodActionResponse = Response<{ pod: string; tasks: string[] }>;

/**
 * What a pod action prints: on a terminal one sentence for a person; piped or with --json the API's
 * JSON, as the original CLI printed it (scripts read it).
 */
export function actionOutput(res: PodActionResponse, human: (tasks: string) => string, json: boolean | undefined, io: Io): string {
  return json || !io.isStdoutTTY ? apiJson(res) : `${human(res.body.tasks.join(', '))}\n`;
}

export const waitOptions = (cmd: Command): Command =>
  cmd.option('--wait', "wait until the pod's tasks run again, showing progress").option('--timeout <seconds>', 'how long to wait with --wait', positiveInt, 300);

const BACK = new Set(['RUNNING', 'FINISHED']);

/** "hello-0: 1/2 tasks back, hello-0-server STARTING" */
export function podProgress(pod: string, tasks: readonly string[], before: ReadonlyMap<string, string>, now: PodInstanceStatusJson | undefined): { line: string; back: boolean } {
  const states = tasks.map((name) => {
    const t = now?.tasks.find((x) => x.name === name);
    const relaunched = !!t && t.id !== before.get(name);
    return { name, back: relaunched && BACK.has(t?.status ?? ''), status: !t ? 'gone' : relaunched ? (t.status ?? 'launching') : `${t.status ?? 'launching'} (old)` };
  });
  const waiting = states.filter((s) => !s.back);
  const at = waiting.length > 0 ? `, ${waiting.map((s) => `${s.name} ${s.status}`).join(', ')}` : '';
  return { line: `${pod}: ${states.length - waiting.length}/${states.length} tasks back${at}`, back: waiting.length === 0 };
}

/** Task name → id, for telling a relaunched task from the one killed. */
export async function taskIds(c: SvcClient, pod: string): Promise<Map<string, string>> {
  const s = await orPods(c, pod, () => c.podInstanceStatus(pod));
  return new Map(s.body.tasks.map((t) => [t.name, t.id]));
}

/** Waits until every task in `tasks` runs again under a new id; `doing` names the action ("restarting"). */
export async function waitForPod(c: SvcClient, io: Io, pod: string, tasks: readonly string[], before: ReadonlyMap<string, string>, o: { timeoutMs: number; doing: string }): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  await poll(io, `waiting for ${pod}`, { pollMs: 100, onInterrupt: () => `stopped waiting; ${pod} keeps ${o.doing} (svc pod status ${pod})` }, async (spinner) => {
    // a replaced pod has no tasks for a moment: not found is "not back yet"
    const now = await c.podInstanceStatus(pod).then(
      (r) => r.body,
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return undefined;
        throw e;
      },
    );
    const p = podProgress(pod, tasks, before, now);
    spinner.update(p.line);
    if (p.back) {
      spinner.stop(p.line);
      return true;
    }
    if (Date.now() > deadline) throw failed(`${pod} is not back after ${Math.round(o.timeoutMs / 1000)} s: ${p.line} (svc pod status ${pod})`);
    return undefined;
  });
}

// Ours: GET /v1/tasks — each task's state with what the original's pod status leaves out: its last
// status message (why it failed), how many times in a row it failed (each failure relaunches it) and
// whether it keeps failing (svc services says FAILING).
import { instanceOf } from '../../plan/index.js';
import { crashLooping } from '../../scheduler/crash-loop.js';
import type { TaskRecord } from '../../state/index.js';
import type { SchedulerView } from '../scheduler-view.js';
import { json, route, type Route } from '../route.js';
import { displayState } from './pods.js';

export interface TaskHealthJson {
  name: string;
  pod: string;
  /** As in GET /v1/pod/status (RUNNING, FAILED, PAUSED, ...); absent before the first status. */
  status?: string;
  /** The last status's message (e.g. "exited with code 3"); absent when it carried none. */
  message?: string;
  /** The message of the last failed status, kept after the task was relaunched; absent if it never failed. */
  lastFailure?: string;
  /** Consecutive failures, each followed by a relaunch; a run that lasted counts the next failure as the first. */
  failures: number;
  /** A crash loop: it failed again after a relaunch and has not run long since. */
  failing: boolean;
}

const FAILED = new Set(['TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE']);

/** The current status's message if it is a failure, else the one kept from an earlier incarnation. */
const lastFailure = (t: TaskRecord): string | undefined => (t.status && FAILED.has(t.status.state) ? t.status.message : t.lastFailure) || undefined;

export function taskHealthRoutes(s: SchedulerView): Route[] {
  return [
    route('GET', '/v1/tasks', () =>
      json(
        [...s.tasks()]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((t): TaskHealthJson => ({ name: t.name, pod: instanceOf(t), status: displayState(t), message: t.status?.message || undefined, lastFailure: lastFailure(t), failures: t.failures, failing: crashLooping(t, Date.now()) })),
      ),
    ),
  ];
}

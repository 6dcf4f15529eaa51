// A launch step's status from its tasks' stored records (reference: service-spec.md §9.1), as pure
// functions of the records, the pod spec and the time.
import { lowestStatus, type Status } from '../plan/index.js';
import type { TaskSpec } from '../spec/index.js';
import type { TaskRecord } from '../state/index.js';

export const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 60_000;

/** Launch backoff after consecutive failures: none for the first, then 1 s, 2 s, 4 s ... up to 60 s. */
export const backoffMs = (failures: number): number => (failures <= 1 ? 0 : Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 2)));

export interface StepTask {
  readonly spec: TaskSpec;
  readonly record?: TaskRecord;
}

const readyEnough = (spec: TaskSpec, rec: TaskRecord) => !spec.readinessCheck || !!rec.status?.ready || !!rec.launchedPaused;

/**
 * The status of a step that is under way, from the tasks it launched (`launched`: their task ids).
 * A task it has not launched counts as PENDING, unless that task's last incarnation crashed: its
 * backoff holds whoever relaunches it.
 */
export function deriveStepStatus(tasks: readonly StepTask[], launched: ReadonlySet<string> | undefined, now: number): { status: Status; delayedUntil?: number } {
  let delayedUntil = 0;
  const statuses = tasks.map(({ spec, record: rec }): Status => {
    const crashed = rec?.status?.state === 'TASK_FAILED' || rec?.status?.state === 'TASK_ERROR';
    if (!rec || (!launched?.has(rec.taskId) && !crashed)) return 'PENDING';
    if (!rec.status) return 'STARTING';
    switch (rec.status.state) {
      case 'TASK_STAGING':
      case 'TASK_STARTING':
        return 'STARTING';
      case 'TASK_RUNNING':
        return spec.goal === 'RUNNING' && readyEnough(spec, rec) ? 'COMPLETE' : 'STARTED';
      case 'TASK_FINISHED':
        return spec.goal === 'RUNNING' ? 'PENDING' : 'COMPLETE';
      case 'TASK_FAILED':
      case 'TASK_ERROR': {
        const until = rec.status.timestamp * 1000 + backoffMs(rec.failures);
        delayedUntil = Math.max(delayedUntil, until);
        return until > now ? 'DELAYED' : 'PENDING';
      }
      default:
        return 'PENDING';
    }
  });
  const status = lowestStatus(statuses);
  return status === 'DELAYED' ? { status, delayedUntil } : { status };
}

/** At start-up: COMPLETE iff every stored task of the step reached its goal in the target config. */
export function initialStepStatus(tasks: readonly StepTask[], targetConfigId: string): Status {
  const stored = tasks.flatMap(({ spec, record }) => (record ? [{ spec, rec: record }] : []));
  if (stored.length === 0) return 'PENDING';
  // Launched but not yet reported: the engine will confirm it or report it lost; never relaunch blindly.
  if (stored.some(({ rec }) => !rec.status || rec.status.state === 'TASK_STAGING' || rec.status.state === 'TASK_STARTING')) return 'STARTING';
  const reached = stored.every(({ spec, rec }) => {
    const state = rec.status?.state;
    if (spec.goal === 'ONCE') return state === 'TASK_FINISHED';
    if (rec.configId !== targetConfigId) return false;
    return spec.goal === 'RUNNING' ? state === 'TASK_RUNNING' && readyEnough(spec, rec) : state === 'TASK_FINISHED';
  });
  if (reached) return 'COMPLETE';
  // Running the target config, only not ready yet: its readiness check will complete the step.
  return stored.every(({ rec }) => rec.configId === targetConfigId && rec.status?.state === 'TASK_RUNNING') ? 'STARTED' : 'PENDING';
}

// A launch step's status from its tasks' stored records (reference: service-spec.md §9.1), as pure
// functions of the records, the pod spec and the time.
import { lowestStatus, type Status } from '../plan/index.js';
import type { TaskSpec } from '../spec/index.js';
import type { TaskRecord } from '../state/index.js';

/** How long a failed decommission or uninstall action waits before it is tried again. */
export const ACTION_RETRY_MS = 1000;

/**
 * The original's launch backoff (Backoff.java): off unless the scheduler env sets ENABLE_BACKOFF;
 * when on, a task's first failure delays its relaunch by the initial backoff, each further
 * consecutive failure multiplies the delay by the factor, up to the maximum launch delay.
 */
export type BackoffPolicy = { readonly enabled: false } | { readonly enabled: true; readonly initialMs: number; readonly factor: number; readonly maxMs: number };

export const NO_BACKOFF: BackoffPolicy = { enabled: false };

/** Delay before relaunching a task after `failures` consecutive failures. */
export function backoffMs(failures: number, policy: BackoffPolicy): number {
  if (!policy.enabled || failures < 1) return 0;
  return Math.min(policy.maxMs, policy.initialMs * policy.factor ** (failures - 1));
}

/** What a step's status is measured against: the target config and the launch backoff. */
export interface StepContext {
  readonly targetConfigId: string;
  readonly backoff: BackoffPolicy;
}

/**
 * Whether a task's record counts for the target config: it was launched with it, or (ONCE) it
 * finished under any config, as the original's step factory treats a finished ONCE task as on target.
 */
export const onTarget = (spec: TaskSpec, rec: TaskRecord, targetConfigId: string): boolean =>
  rec.configId === targetConfigId || (spec.goal === 'ONCE' && rec.status?.state === 'TASK_FINISHED');

export interface StepTask {
  readonly spec: TaskSpec;
  readonly record?: TaskRecord;
}

/** A task launched paused never counts as ready: the original forces its readiness check to fail. */
const readyEnough = (spec: TaskSpec, rec: TaskRecord) => !rec.launchedPaused && (!spec.readinessCheck || !!rec.status?.ready);

/**
 * The status of a step that is under way, from the tasks it launched (`launched`: their task ids).
 * A task it has not launched counts as PENDING, unless that task's last incarnation crashed: its
 * backoff holds whoever relaunches it. A task on another config than the target counts as PENDING
 * whoever launched it: a step is complete only when its tasks run the target config.
 */
export function deriveStepStatus(tasks: readonly StepTask[], launched: ReadonlySet<string> | undefined, now: number, ctx: StepContext): { status: Status; delayedUntil?: number } {
  let delayedUntil = 0;
  const statuses = tasks.map(({ spec, record: rec }): Status => {
    const crashed = rec?.status?.state === 'TASK_FAILED' || rec?.status?.state === 'TASK_ERROR';
    if (!rec || (!launched?.has(rec.taskId) && !crashed)) return 'PENDING';
    if (!crashed && !onTarget(spec, rec, ctx.targetConfigId)) return 'PENDING';
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
        const until = rec.status.timestamp * 1000 + backoffMs(rec.failures, ctx.backoff);
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
  // a paused task found running at start-up keeps its step COMPLETE (shown PAUSED), as before the restart
  const ready = (spec: TaskSpec, rec: TaskRecord) => !!rec.launchedPaused || readyEnough(spec, rec);
  const reached = stored.every(({ spec, rec }) => {
    const state = rec.status?.state;
    if (!onTarget(spec, rec, targetConfigId)) return false;
    if (spec.goal === 'ONCE') return state === 'TASK_FINISHED';
    return spec.goal === 'RUNNING' ? state === 'TASK_RUNNING' && ready(spec, rec) : state === 'TASK_FINISHED';
  });
  if (reached) return 'COMPLETE';
  // Running the target config, only not ready yet: its readiness check will complete the step.
  return stored.every(({ rec }) => rec.configId === targetConfigId && rec.status?.state === 'TASK_RUNNING') ? 'STARTED' : 'PENDING';
}

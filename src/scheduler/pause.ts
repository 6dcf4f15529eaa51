// A paused task as the original ran it (GoalStateOverride.PAUSED): its command is replaced by one
// that renders its config templates and sleeps, so an operator can exec into it; it has no health
// check, and its readiness check always fails, so no plan takes a paused task for a ready one.
import type { TaskLaunch } from '../engine/types.js';
import { podInstanceName, taskFullName, type Step } from '../plan/index.js';
import type { CheckSpec, TaskSpec } from '../spec/index.js';
import type { StateStore } from '../state/index.js';

/** The original's PAUSE_COMMAND (sleeping Constants.LONG_DECLINE_SECONDS, 14 days, at a time). */
export const PAUSE_COMMAND = 'echo This task is PAUSED, sleeping ... && ./bootstrap --resolve=false && while true; do sleep 1209600; done';

/** The original's PAUSE_READINESS_COMMAND. */
export const PAUSE_READINESS_COMMAND = 'exit 1';

/** The command a paused task runs: PAUSE_OVERRIDE_CMD of the scheduler env, else the original's. */
export const pauseCommand = (schedulerEnv: Readonly<Record<string, string>> = {}): string => schedulerEnv.PAUSE_OVERRIDE_CMD || PAUSE_COMMAND;

/**
 * The readiness check a paused task carries: the task's own timings (or the original's defaults)
 * around a command that fails.
 */
export function pausedReadiness(task: TaskSpec): CheckSpec {
  const r = task.readinessCheck;
  return { cmd: PAUSE_READINESS_COMMAND, interval: r?.interval ?? 5, delay: r?.delay ?? 0, gracePeriod: 0, timeout: r?.timeout ?? 10, maxConsecutiveFailures: 0 };
}

/**
 * The launch of a paused task. The engine runs no readiness check for it: one that cannot pass
 * would only cost a process every interval; the scheduler counts a paused task as never ready.
 */
export const pausedLaunch = (launch: TaskLaunch, schedulerEnv?: Readonly<Record<string, string>>): TaskLaunch => ({
  ...launch,
  cmd: pauseCommand(schedulerEnv),
  healthCheck: undefined,
  readinessCheck: undefined,
});

/** Every task of the step is paused (the original shows such a step PAUSING/PAUSED). */
export function stepPaused(store: StateStore, step: Step): boolean {
  const pod = step.pod;
  if (!pod || step.action || step.tasks.length === 0) return false;
  const instance = podInstanceName(pod.podType, pod.index);
  return step.tasks.every((t) => store.task(taskFullName(instance, t))?.paused === true);
}

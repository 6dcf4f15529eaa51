// When a task counts as failing over and over (a crash loop) rather than recovering from a failure:
// the failures in a row of its record, not its steps' DELAYED status, which only a launch backoff
// (off by default) produces.
import type { TaskRecord } from '../state/index.js';

/** A task that ran this long before failing starts its count of failures (and its backoff) afresh. */
export const BACKOFF_RESET_MS = 60_000;

/** Failures in a row from which a task keeps failing: it failed again after a relaunch. */
export const CRASH_LOOP_FAILURES = 2;

/**
 * Whether the task is still in its current run of failures at `now` (ms): down after a failure, or
 * relaunched and not yet running long enough for the next failure to count as a first.
 */
export function inFailureRun(t: TaskRecord, now: number): boolean {
  if (t.failures === 0) return false;
  if (!t.status) return true; // relaunched, not reported yet
  const { state, timestamp } = t.status;
  if (state === 'TASK_FINISHED') return false;
  return state !== 'TASK_RUNNING' || now - timestamp * 1000 < BACKOFF_RESET_MS;
}

/** A crash loop: at least CRASH_LOOP_FAILURES failures in a row, and the run of failures not over. */
export const crashLooping = (t: TaskRecord, now: number): boolean => t.failures >= CRASH_LOOP_FAILURES && inFailureRun(t, now);

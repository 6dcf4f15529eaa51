// The launch backoff's settings from the scheduler env, by the original's names and defaults
// (Backoff.java): ENABLE_BACKOFF opts in; FRAMEWORK_INITIAL_BACKOFF (seconds, default 60),
// FRAMEWORK_BACKOFF_FACTOR (default 1.15) and FRAMEWORK_MAX_LAUNCH_DELAY (seconds, default 300).
import { NO_BACKOFF, type BackoffPolicy } from './step-status.js';

export function backoffFromEnv(env: Readonly<Record<string, string | undefined>>): BackoffPolicy {
  // the original reads it as a Java boolean: "true" in any case enables it, anything else does not
  if ((env.ENABLE_BACKOFF ?? '').trim().toLowerCase() !== 'true') return NO_BACKOFF;
  const initial = number(env, 'FRAMEWORK_INITIAL_BACKOFF', 60, true);
  const factor = number(env, 'FRAMEWORK_BACKOFF_FACTOR', 1.15, false);
  const max = number(env, 'FRAMEWORK_MAX_LAUNCH_DELAY', 300, true);
  if (factor < 1) throw new Error(`FRAMEWORK_BACKOFF_FACTOR: must be at least 1, got ${factor}`);
  return { enabled: true, initialMs: initial * 1000, factor, maxMs: max * 1000 };
}

function number(env: Readonly<Record<string, string | undefined>>, key: string, fallback: number, whole: boolean): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (whole && !Number.isInteger(n))) {
    throw new Error(`${key}: expected ${whole ? 'a whole number of seconds' : 'a number'} ≥ 0, got ${JSON.stringify(env[key])}`);
  }
  return n;
}

// Time as the scheduler sees it: the wall clock, a monotonic clock for durations, and the timers
// that drive its loop. Injected so tests can run backoffs and timeouts of minutes in milliseconds.

/** Cancels a timer or an interval. */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch (task timestamps, backoff deadlines). */
  now(): number;
  /** Monotonic milliseconds with sub-millisecond precision, for durations (metrics timers). */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  setInterval(fn: () => void, ms: number): Timer;
  /** Runs `fn` on the next turn of the event loop. */
  setImmediate(fn: () => void): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
  setInterval: (fn, ms) => {
    const t = setInterval(fn, ms);
    return { cancel: () => clearInterval(t) };
  },
  setImmediate: (fn) => void setImmediate(fn),
};

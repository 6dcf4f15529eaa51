// A Clock whose time moves only when a test says so. Immediates run on the real event loop (they
// are "next turn", not time), so promises the scheduler awaits in between still settle.
import type { Clock, Timer } from '../../src/scheduler/clock.js';

interface Pending {
  at: number;
  readonly fn: () => void;
  readonly every?: number;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private t: number;
  private readonly timers: Pending[] = [];
  private immediates = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }
  monotonic(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms);
  }
  setInterval(fn: () => void, ms: number): Timer {
    return this.schedule(fn, ms, Math.max(1, ms));
  }
  setImmediate(fn: () => void): void {
    this.immediates++;
    setImmediate(() => {
      this.immediates--;
      fn();
    });
  }

  private schedule(fn: () => void, ms: number, every?: number): Timer {
    const p: Pending = { at: this.t + Math.max(0, ms), fn, every, cancelled: false };
    this.timers.push(p);
    return { cancel: () => (p.cancelled = true) };
  }

  /** Lets the event loop run until nothing the scheduler queued is left (promises, immediates). */
  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      await new Promise<void>((r) => setImmediate(r));
      quiet = this.immediates === 0 ? quiet + 1 : 0;
    }
  }

  /** Moves time forward by `ms`, firing due timers in order and settling after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await this.settle();
    for (;;) {
      const due = this.timers.filter((p) => !p.cancelled && p.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      if (due.every) due.at += due.every;
      else due.cancelled = true;
      due.fn();
      await this.settle();
    }
    this.t = end;
    for (let i = this.timers.length - 1; i >= 0; i--) if (this.timers[i].cancelled) this.timers.splice(i, 1);
  }
}

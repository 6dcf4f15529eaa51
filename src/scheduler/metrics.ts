// What the scheduler records about itself: counters and timers under the original's metric names
// (rest-api.md §9), whether it wants resources (revive/suppress), and the last placement
// evaluations with the free resources they were offered (GET /v2/debug/offers, §10).
import type { Agent, Reservation } from '../engine/types.js';

/** Dropwizard's timer JSON; durations in seconds, rates in calls per second. */
export interface TimerJson {
  count: number;
  max: number;
  mean: number;
  min: number;
  p50: number;
  p75: number;
  p95: number;
  p98: number;
  p99: number;
  p999: number;
  stddev: number;
  m15_rate: number;
  m1_rate: number;
  m5_rate: number;
  mean_rate: number;
  duration_units: 'seconds';
  rate_units: 'calls/second';
}

/** Dropwizard's meters tick every 5 s. */
const TICK_MS = 5000;
/** Dropwizard's reservoir size; ours keeps the latest samples (a sliding window, not exponentially decaying). */
const SAMPLES = 1028;

/** An exponentially weighted moving rate over `minutes`, as Dropwizard's EWMA. */
class Ewma {
  private rate = 0;
  private started = false;
  private uncounted = 0;
  private readonly alpha: number;

  constructor(minutes: number) {
    this.alpha = 1 - Math.exp(-TICK_MS / 60_000 / minutes);
  }

  mark(): void {
    this.uncounted++;
  }

  tick(): void {
    const instant = this.uncounted / (TICK_MS / 1000);
    this.uncounted = 0;
    this.rate = this.started ? this.rate + this.alpha * (instant - this.rate) : instant;
    this.started = true;
  }

  perSecond(): number {
    return this.rate;
  }
}

/** Dropwizard's quantile of sorted values (UniformSnapshot). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = q * (sorted.length + 1);
  if (pos < 1) return sorted[0];
  if (pos >= sorted.length) return sorted[sorted.length - 1];
  const lower = sorted[Math.floor(pos) - 1];
  return lower + (pos - Math.floor(pos)) * (sorted[Math.floor(pos)] - lower);
}

function stddev(values: readonly number[], mean: number): number {
  if (values.length < 2) return 0;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
}

class Timer {
  private count = 0;
  private readonly samples: number[] = [];
  private readonly rates = [new Ewma(1), new Ewma(5), new Ewma(15)] as const;
  private lastTick: number;

  constructor(private readonly started: number) {
    this.lastTick = started;
  }

  update(seconds: number, now: number): void {
    this.catchUp(now);
    this.count++;
    this.samples.push(seconds);
    if (this.samples.length > SAMPLES) this.samples.shift();
    for (const r of this.rates) r.mark();
  }

  json(now: number): TimerJson {
    this.catchUp(now);
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mean = sorted.length ? sorted.reduce((s, v) => s + v, 0) / sorted.length : 0;
    const elapsed = (now - this.started) / 1000;
    const [m1, m5, m15] = this.rates;
    return {
      count: this.count,
      max: sorted[sorted.length - 1] ?? 0,
      mean,
      min: sorted[0] ?? 0,
      p50: quantile(sorted, 0.5),
      p75: quantile(sorted, 0.75),
      p95: quantile(sorted, 0.95),
      p98: quantile(sorted, 0.98),
      p99: quantile(sorted, 0.99),
      p999: quantile(sorted, 0.999),
      stddev: stddev(sorted, mean),
      m15_rate: m15.perSecond(),
      m1_rate: m1.perSecond(),
      m5_rate: m5.perSecond(),
      mean_rate: elapsed > 0 ? this.count / elapsed : 0,
      duration_units: 'seconds',
      rate_units: 'calls/second',
    };
  }

  /** Rates move in whole ticks, counted lazily when the timer is used or read. */
  private catchUp(now: number): void {
    const ticks = Math.floor((now - this.lastTick) / TICK_MS);
    if (ticks <= 0) return;
    this.lastTick += ticks * TICK_MS;
    for (let i = 0; i < ticks; i++) for (const r of this.rates) r.tick();
  }
}

export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly timers = new Map<string, Timer>();
  /** Ids of the steps that wanted resources at the last pass. */
  private work = new Set<string>();
  private idle = false;
  /** Rates are per second since the scheduler started, as its registry's were. */
  private readonly started: number;

  /** `clock`: milliseconds, monotonic; durations need sub-millisecond precision. */
  constructor(private readonly clock: () => number = () => performance.now()) {
    this.started = clock();
  }

  count(name: string, n = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n);
  }

  snapshot(): ReadonlyMap<string, number> {
    return this.counters;
  }

  /** Starts timing one event; the returned function records its duration. */
  startTimer(name: string): () => void {
    const start = this.clock();
    return () => {
      const now = this.clock();
      let timer = this.timers.get(name);
      if (!timer) this.timers.set(name, (timer = new Timer(this.started)));
      timer.update((now - start) / 1000, now);
    };
  }

  timerSnapshot(): Record<string, TimerJson> {
    const now = this.clock();
    return Object.fromEntries([...this.timers].map(([name, t]) => [name, t.json(now)]));
  }

  /**
   * The original suppresses its offers while the service is idle, and revives them when a step
   * wants resources that did not at the last check, or when work resumes while suppressed: ours
   * counts the same moments of its plan passes. `busy`: some plan still has work to finish.
   */
  trackWork(stepIds: Iterable<string>, busy: boolean): void {
    const now = new Set(stepIds);
    const fresh = [...now].some((id) => !this.work.has(id));
    if (fresh || (busy && this.idle)) this.count('revives');
    if (!busy && !this.idle) this.count('suppresses');
    this.idle = !busy;
    this.work = now;
  }

  /** Idle since the last pass: offers suppressed (the is_suppressed gauge). */
  get suppressed(): boolean {
    return this.idle;
  }
}

/** One placement evaluation as GET /v2/debug/offers lists it. */
export interface OfferEvaluation {
  timestamp: number;
  'pod-instance-name': string;
  outcome: 'pass' | 'fail';
  explanation: string[];
  /** The free resources of the agents evaluated, in the protobuf text form of a Mesos Offer. */
  offer: string;
}

interface LogEntry {
  readonly evaluation: Omit<OfferEvaluation, 'offer'>;
  /** Written when asked for: a deploy places pods far more often than anyone reads the log. */
  readonly offer: () => string;
  readonly rejectedAgents: readonly string[];
}

/** The last 100 evaluations; counts are over those (as the entries they summarise). */
export class OfferLog {
  private readonly entries: LogEntry[] = [];

  record(entry: LogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > 100) this.entries.shift();
  }

  json() {
    const failed = this.entries.filter((e) => e.evaluation.outcome === 'fail');
    return {
      acceptedCount: this.entries.length - failed.length,
      rejectedCount: failed.length,
      failureReasons: tally(failed.flatMap((e) => e.evaluation.explanation)),
      rejectedAgents: tally(failed.flatMap((e) => e.rejectedAgents)),
      offers: this.entries.map((e): OfferEvaluation => ({ ...e.evaluation, offer: e.offer() })),
    };
  }
}

function tally(keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** An agent's port ranges minus the ports reserved there. */
function freeRanges(ranges: ReadonlyArray<readonly [number, number]>, taken: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const sorted = [...taken].sort((a, b) => a - b);
  for (const [begin, end] of ranges) {
    let from = begin;
    for (const p of sorted.filter((x) => x >= begin && x <= end)) {
      if (p > from) out.push([from, p - 1]);
      from = p + 1;
    }
    if (from <= end) out.push([from, end]);
  }
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * What each agent had free when a placement was evaluated, one line per agent, written as the
 * original wrote the Mesos offer it evaluated (protobuf text format): our engine offers no offers,
 * so this is the resource view that stands in for them.
 */
export function offerText(agents: readonly Agent[], reservations: readonly Reservation[]): string {
  return agents
    .map((a) => {
      const used = reservations.filter((r) => r.agentId === a.id);
      const free = (dim: 'cpus' | 'mem' | 'disk') => round(a.resources[dim] - used.reduce((s, r) => s + r[dim], 0));
      const scalar = (name: 'cpus' | 'mem' | 'disk') => `resources { name: "${name}" type: SCALAR scalar { value: ${free(name)} } }`;
      const ranges = freeRanges(a.resources.portRanges, used.flatMap((r) => r.ports.map((p) => p.port)))
        .map(([b, e]) => `range { begin: ${b} end: ${e} }`)
        .join(' ');
      return `slave_id { value: "${a.id}" } hostname: "${a.hostname}" ${scalar('cpus')} ${scalar('mem')} ${scalar('disk')} resources { name: "ports" type: RANGES ranges { ${ranges} } }`;
    })
    .join('\n');
}

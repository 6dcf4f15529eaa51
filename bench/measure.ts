// The bench's measurement helpers: clocks, sample statistics, figures with their floors and
// targets, the log-log fit of a scaling curve, process timing and RSS. No figure logic lives here.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Stats {
  readonly samples: number;
  readonly min: number;
  readonly median: number;
  readonly p95: number;
}

export interface Floor {
  readonly name: string;
  readonly median: number;
}

/** A target on the median: `< 100 ms` is `{ max: 100 }`. */
export interface Target {
  readonly max: number;
}

export interface Figure extends Stats {
  readonly name: string;
  readonly unit: string;
  readonly floor: Floor | null;
  /** median / floor median */
  readonly ratio: number | null;
  readonly target: string | null;
  readonly result: 'PASS' | 'MISS' | null;
  readonly note?: string;
}

export interface Curve {
  readonly name: string;
  readonly unit: string;
  readonly points: ReadonlyArray<{ readonly size: number; readonly median: number }>;
  /** b in value ≈ a·size^b, by least squares on log-log; 1 is linear. */
  readonly exponent: number | null;
  /** The same between the two largest sizes only, where fixed costs weigh least. */
  readonly lastSegmentExponent: number | null;
}

const round = (x: number, digits = 3) => Number(x.toPrecision(digits + 2));

export function stats(xs: readonly number[]): Stats {
  if (xs.length === 0) throw new Error('no samples');
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { samples: s.length, min: round(s[0]), median: round(mid), p95: round(at(0.95)) };
}

export function figure(name: string, unit: string, xs: readonly number[], floor: Floor | null, target?: Target, note?: string): Figure {
  const st = stats(xs);
  return {
    name,
    unit,
    ...st,
    floor: floor && { name: floor.name, median: round(floor.median) },
    ratio: floor && floor.median > 0 ? round(st.median / floor.median) : null,
    target: target ? `< ${target.max} ${unit}` : null,
    result: target ? (st.median < target.max ? 'PASS' : 'MISS') : null,
    ...(note ? { note } : {}),
  };
}

export function floorOf(name: string, xs: readonly number[]): Floor {
  return { name, median: stats(xs).median };
}

/** Least-squares slope of log(value) over log(size). */
export function fitExponent(points: ReadonlyArray<{ size: number; median: number }>): number | null {
  const ps = points.filter((p) => p.size > 0 && p.median > 0);
  if (ps.length < 2) return null;
  const xs = ps.map((p) => Math.log(p.size));
  const ys = ps.map((p) => Math.log(p.median));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0);
  return sxx > 0 ? Number((sxy / sxx).toFixed(2)) : null;
}

export function curve(name: string, unit: string, points: ReadonlyArray<{ size: number; median: number }>): Curve {
  return { name, unit, points, exponent: fitExponent(points), lastSegmentExponent: fitExponent(points.slice(-2)) };
}

/** Milliseconds on the monotonic clock. */
export const now = (): number => performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` `warmup` times unmeasured, then `n` times; returns each run's milliseconds. */
export async function sample(n: number, fn: () => unknown, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    await fn();
    out.push(now() - t0);
  }
  return out;
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Spawns a command and waits for it to exit; `ms` is spawn-to-exit wall time. */
export function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 300_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, ms: now() - t0 });
    });
  });
}

/** Like run, but a non-zero exit is an error. */
export async function runOk(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs?: number): Promise<Run> {
  const r = await run(cmd, args, env, timeoutMs);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim().slice(-500)}`);
  return r;
}

/** Spawn-to-exit times of a command, `n` samples after one warm-up. */
export async function spawnSamples(n: number, cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<number[]> {
  await runOk(cmd, args, env);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await runOk(cmd, args, env)).ms);
  return out;
}

/** Resident set size of a process in MB (VmRSS), or undefined if it is gone. */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** PSS and private (unshared) memory of a process in MB, from /proc/<pid>/smaps_rollup. */
export function sharedAwareMb(pid: number): { pss: number; private: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { pss: kb('Pss') / 1024, private: (kb('Private_Clean') + kb('Private_Dirty')) / 1024 };
  } catch {
    return undefined;
  }
}

/** Polls `fn` every `everyMs` until it returns a value other than undefined/false. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}

export const progress = (msg: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 23)}] ${msg}\n`);
};

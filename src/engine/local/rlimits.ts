// A pod's rlimits, applied to its tasks by `prlimit` (util-linux), which sets soft and hard together
// (one prlimit64 call per limit, so lowering the hard limit below the inherited soft one works) and
// then execs the task. Before that, each limit is checked against what this process may grant: a
// limit that cannot be applied fails the task with the limit, the value asked and the value allowed.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface RLimit {
  readonly name: string;
  readonly soft?: number;
  readonly hard?: number;
}

/** Spec name → prlimit option and the line of /proc/<pid>/limits that shows it. */
const LIMITS: Readonly<Record<string, { readonly option: string; readonly proc: string }>> = {
  RLIMIT_AS: { option: 'as', proc: 'Max address space' },
  RLIMIT_CORE: { option: 'core', proc: 'Max core file size' },
  RLIMIT_CPU: { option: 'cpu', proc: 'Max cpu time' },
  RLIMIT_DATA: { option: 'data', proc: 'Max data size' },
  RLIMIT_FSIZE: { option: 'fsize', proc: 'Max file size' },
  RLIMIT_LOCKS: { option: 'locks', proc: 'Max file locks' },
  RLIMIT_MEMLOCK: { option: 'memlock', proc: 'Max locked memory' },
  RLIMIT_MSGQUEUE: { option: 'msgqueue', proc: 'Max msgqueue size' },
  RLIMIT_NICE: { option: 'nice', proc: 'Max nice priority' },
  RLIMIT_NOFILE: { option: 'nofile', proc: 'Max open files' },
  RLIMIT_NPROC: { option: 'nproc', proc: 'Max processes' },
  RLIMIT_RSS: { option: 'rss', proc: 'Max resident set' },
  RLIMIT_RTPRIO: { option: 'rtprio', proc: 'Max realtime priority' },
  RLIMIT_SIGPENDING: { option: 'sigpending', proc: 'Max pending signals' },
  RLIMIT_STACK: { option: 'stack', proc: 'Max stack size' },
};

/** What this process may grant: its own hard limits, whether it may raise them, the NOFILE ceiling. */
export interface LimitsAllowed {
  /** Hard limit by spec name (Infinity for unlimited). */
  readonly hard: ReadonlyMap<string, number>;
  /** CAP_SYS_RESOURCE: hard limits may be raised (NOFILE still only up to nrOpen). */
  readonly mayRaise: boolean;
  readonly nrOpen: number;
}

const num = (v: string): number => (v === 'unlimited' ? Infinity : Number(v));
const show = (n: number): string => (n === Infinity ? 'unlimited' : String(n));
const asked = (n: number | undefined): number => (n === undefined || n < 0 ? Infinity : n);

const CAP_SYS_RESOURCE = 24n;

/** This process's limits and capabilities, from /proc. */
export function limitsAllowed(): LimitsAllowed {
  const hard = new Map<string, number>();
  const text = readFileSync('/proc/self/limits', 'utf8');
  for (const [name, l] of Object.entries(LIMITS)) {
    const line = text.split('\n').find((x) => x.startsWith(l.proc));
    const cols = line?.slice(l.proc.length).trim().split(/\s+/);
    if (cols && cols.length >= 2) hard.set(name, num(cols[1]));
  }
  const capEff = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
  const mayRaise = ((BigInt(`0x${capEff}`) >> CAP_SYS_RESOURCE) & 1n) === 1n;
  let nrOpen = 1048576;
  try {
    nrOpen = Number(readFileSync('/proc/sys/fs/nr_open', 'utf8').trim()) || nrOpen;
  } catch {
    // the kernel default
  }
  return { hard, mayRaise, nrOpen };
}

/**
 * The prlimit options that apply `rlimits`, or why one of them cannot be applied here: the limit,
 * the value asked and the value allowed.
 */
export function rlimitOptions(rlimits: readonly RLimit[], allowed: LimitsAllowed): { options: string[] } | { error: string } {
  const options: string[] = [];
  for (const r of rlimits) {
    const l = LIMITS[r.name];
    if (!l) return { error: `not supported: rlimit ${r.name}` };
    const soft = asked(r.soft);
    const hard = asked(r.hard);
    const current = allowed.hard.get(r.name) ?? Infinity;
    const ceiling = r.name === 'RLIMIT_NOFILE' ? Math.min(allowed.mayRaise ? Infinity : current, allowed.nrOpen) : allowed.mayRaise ? Infinity : current;
    if (hard > ceiling) {
      const why = r.name === 'RLIMIT_NOFILE' && ceiling === allowed.nrOpen ? 'the kernel\'s fs.nr_open' : 'the hard limit svc runs with; raising it needs CAP_SYS_RESOURCE';
      return { error: `rlimit ${r.name} cannot be applied: hard limit ${show(hard)} asked, at most ${show(ceiling)} allowed (${why})` };
    }
    options.push(`--${l.option}=${show(soft)}:${show(hard)}`);
  }
  return { options };
}

/** The prlimit binary, or undefined when util-linux's prlimit is not installed. */
export function findPrlimit(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of [...path.split(delimiter).filter(Boolean), '/usr/bin', '/bin', '/usr/sbin', '/sbin']) {
    const file = join(dir, 'prlimit');
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The command that runs `argv` with `rlimits` applied (argv itself when there are none), or why it
 * cannot be run.
 */
export function withRlimits(rlimits: readonly RLimit[], argv: readonly string[], allowed: () => LimitsAllowed = limitsAllowed): { argv: string[] } | { error: string } {
  if (rlimits.length === 0) return { argv: [...argv] };
  const prlimit = findPrlimit();
  if (!prlimit) return { error: `not supported: rlimits (${rlimits.map((r) => r.name).join(', ')}) need prlimit from util-linux, which is not installed` };
  const plan = rlimitOptions(rlimits, allowed());
  if ('error' in plan) return plan;
  return { argv: [prlimit, ...plan.options, '--', ...argv] };
}

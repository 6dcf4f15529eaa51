// docs/tutorial.md, run for real so it cannot drift: every `$ ` command of its ```console blocks runs
// in order in one bash (functions and exports carry over), from the repository's root, with the
// built bin/ first on PATH and TMPDIR in a scratch folder (the tutorial's `mktemp -d` SVC_HOME lands
// there). Each command's stdout+stderr is compared with the lines under it in the tutorial.
//
// Directives, in an HTML comment right before a block (invisible on GitHub), apply to each of its commands:
//   <!-- test: retry -->   the command reads something that settles a moment after the previous
//                          block (a relaunch): it is run again until it matches, for up to 30 s
//   <!-- test: exit N -->  the command must exit with status N (otherwise with 0)
//
// Both sides are normalised before comparing, so that what differs on every run does not count:
//   - UUIDs (task and volume ids) → <uuid>
//   - times: ISO timestamps, clock times (16:25:13.848) and epoch seconds with a fraction → <time>
//   - durations (12 ms, 1.5s, 3m) → <duration>
//   - the API's port in http://127.0.0.1:<port>
//   - the service's loopback subnet: 127.a.b.N → 127.<net>.N (agent N's last octet and the agents'
//     ports stay: they are deterministic)
//   - paths: a mktemp folder (…/tmp.XXXXXXXXXX) → <home>; this clone's root → /work/main (the
//     clone the tutorial was written in); the node binary → node
//   - pids: the integers a line starts with (ps, pgrep) and `pid N` → <pid>
//   - memcached's version → VERSION <version>
//   - progress lines (`… N/M steps complete`, `… N/M uninstall steps complete`) vary with timing:
//     only those reporting COMPLETE count
//   - a `--watch` command: only its last frame counts (a frame starts at each unindented line that
//     is not a tree branch)
//   - runs of spaces collapse to one, and trailing blanks go (column widths follow pid widths)
//   - the warning that svc runs as root goes (it depends on who runs the tutorial, not on svc)
//
// SVC_TUTORIAL_WRITE=1 (or `node scripts/tutorial.mjs --write`) rewrites the outputs in the tutorial
// from this run instead, keeping the prose, the commands, and each output that still matches (so
// that a rewrite changes only what changed).
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesUnder, ROOT, SVC } from './helpers.js';

const TUTORIAL = join(ROOT, 'docs/tutorial.md');
const WRITE = process.env.SVC_TUTORIAL_WRITE === '1';
const RETRY_MS = 30_000;

interface Step {
  readonly command: string;
  /** line indexes (0-based) of its expected output in the tutorial: [from, to) */
  readonly from: number;
  readonly to: number;
  readonly expected: readonly string[];
  readonly retry: boolean;
  readonly exit: number;
}

/** The `$ ` commands of the tutorial's console blocks, with their expected output and directives. */
function parseTutorial(lines: readonly string[]): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```console') continue;
    let j = i - 1;
    while (j >= 0 && lines[j].trim() === '') j--;
    const directive = /^<!--\s*test:(.*)-->$/.exec(lines[j]?.trim() ?? '')?.[1] ?? '';
    const retry = /\bretry\b/.test(directive);
    const exit = Number(/\bexit (\d+)/.exec(directive)?.[1] ?? 0);
    let k = i + 1;
    while (k < lines.length && lines[k].trim() !== '```') {
      if (!lines[k].startsWith('$ ')) throw new Error(`docs/tutorial.md:${k + 1}: output with no command above it`);
      const command = lines[k].slice(2);
      const from = k + 1;
      let to = from;
      while (to < lines.length && lines[to].trim() !== '```' && !lines[to].startsWith('$ ')) to++;
      // one blank line separates a command's output from the next command
      let end = to;
      while (end > from && lines[end - 1].trim() === '') end--;
      steps.push({ command, from, to: end, expected: lines.slice(from, end), retry, exit });
      k = to;
    }
    i = k;
  }
  return steps;
}

const PROGRESS = /\b\d+\/\d+ (uninstall )?steps complete\b/;
const AS_ROOT = /^svc: warning: svc runs as root\b/;

/** What of a command's output must match; see the rules at the top. */
function normalise(command: string, output: readonly string[]): string[] {
  let lines = output.map((l) =>
    l
      .replace(/(?<![0-9a-f])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-f])/g, '<uuid>')
      .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
      .replace(/\b\d\d:\d\d:\d\d(\.\d+)?\b/g, '<time>')
      .replace(/\b1\d{9}\.\d+\b/g, '<time>')
      .replace(/\b\d+(\.\d+)? ?(ms|s|m)\b/g, '<duration>')
      .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://127.0.0.1:<port>')
      .replace(/\b127\.(?!0\.0\.1\b)\d+\.\d+\.(\d+)\b/g, '127.<net>.$1')
      .replace(/\S*\/tmp\.[A-Za-z0-9]{10}\b/g, '<home>')
      .replace(/\S*\/bin\/node\b/g, 'node')
      .replace(/^(\s*\d+)+\b/, (m) => m.replace(/\d+/g, '<pid>'))
      .replace(/\bpid \d+\b/g, 'pid <pid>')
      .replace(/\bVERSION \d+(\.\d+)+/g, 'VERSION <version>')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  if (/\s--watch\b/.test(command)) {
    const starts = lines.flatMap((l, i) => (/^[^\s│├└]/.test(l) ? [i] : []));
    if (starts.length > 0) lines = lines.slice(starts[starts.length - 1]);
  }
  return lines.filter((l) => (!PROGRESS.test(l) || /\bCOMPLETE\b/.test(l)) && !AS_ROOT.test(l));
}

/** Actual output as the tutorial shows it: this clone's root as /work/main, mktemp's folders in /tmp, no root warning. */
const asWritten = (out: string, scratch: string): string[] => {
  const lines = out.replace(/\n$/, '').split('\n');
  return (lines.length === 1 && lines[0] === '' ? [] : lines).filter((l) => !AS_ROOT.test(l)).map((l) => l.split(ROOT).join('/work/main').split(`${scratch}/`).join('/tmp/'));
};

/**
 * Values that differ on every run but that a reader follows from block to block: a service's subnet,
 * an API's port, $SVC_HOME. Write mode learns this run's value → the tutorial's from the outputs that
 * still match, and writes a changed output with the tutorial's values, so the rewritten tutorial stays
 * consistent.
 */
const FOLLOWED = [/\b127\.(?!0\.0\.1\b)\d+\.\d+\./g, /\b127\.0\.0\.1:\d+/g, /\/tmp\/tmp\.[A-Za-z0-9]{10}\b/g];

function learnValues(values: Map<string, string>, actual: readonly string[], expected: readonly string[]): void {
  for (const re of FOLLOWED) {
    const a = actual.join('\n').match(re) ?? [];
    const e = expected.join('\n').match(re) ?? [];
    if (a.length === e.length) for (let i = 0; i < a.length; i++) values.set(a[i], e[i]);
  }
}

const asBefore = (values: ReadonlyMap<string, string>, line: string): string => FOLLOWED.reduce((l, re) => l.replace(re, (v) => values.get(v) ?? v), line);

/** One bash, fed one command at a time; each answer ends with a marker line and the exit status. */
class Shell {
  private readonly bash: ChildProcessWithoutNullStreams;
  private buffer = '';
  private waiting: (() => void) | undefined;
  private readonly marker = `__tutorial_${process.pid}_done__`;

  constructor(env: NodeJS.ProcessEnv) {
    this.bash = spawn('bash', ['--noprofile', '--norc'], { cwd: ROOT, env });
    this.bash.stdout.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      this.waiting?.();
    });
    this.bash.stderr.on('data', (d: Buffer) => {
      this.buffer += d.toString();
      this.waiting?.();
    });
  }

  async run(command: string, timeoutMs = 240_000): Promise<{ out: string; status: number }> {
    this.buffer = '';
    // stdin from /dev/null, so that no command reads the script; stderr joins stdout, as in a terminal
    this.bash.stdin.write(`{ ${command}\n} </dev/null 2>&1; printf '\\n${this.marker} %d\\n' $?\n`);
    const done = new RegExp(`\\n${this.marker} (\\d+)\\n$`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = done.exec(this.buffer);
      if (m) return { out: this.buffer.slice(0, m.index), status: Number(m[1]) };
      if (Date.now() > deadline) throw new Error(`\`${command}\` did not finish within ${timeoutMs / 1000} s; output so far:\n${this.buffer}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 1000);
        this.waiting = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }

  close(): void {
    this.bash.stdin.end();
    this.bash.kill('SIGKILL');
  }
}

describe('docs/tutorial.md', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'svc-tutorial-'));
  let shell: Shell | undefined;

  afterAll(async () => {
    // a failed run leaves services behind: uninstall them, then kill whatever is left
    const homes = readdirSync(scratch).map((d) => join(scratch, d));
    for (const home of homes) {
      for (const name of existsSync(home) ? readdirSync(home) : []) {
        if (!existsSync(join(home, name, 'service.json'))) continue;
        await new Promise((r) => spawn(process.execPath, [SVC, 'uninstall', name, '--yes'], { env: { ...process.env, SVC_HOME: home }, stdio: 'ignore' }).on('close', r));
      }
    }
    shell?.close();
    for (const p of processesUnder(scratch)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs as written, every command giving the output shown', { timeout: 600_000 }, async () => {
    // what the tutorial's reader installs (its "Before you start"); .ci/run installs them
    const missing = ['jq', 'memcached', 'perl'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
    expect(missing, `the tutorial needs ${missing.join(', ')} on PATH`).toEqual([]);
    const lines = readFileSync(TUTORIAL, 'utf8').split('\n');
    const steps = parseTutorial(lines);
    expect(steps.length).toBeGreaterThan(50);

    const env: NodeJS.ProcessEnv = { PATH: `${join(ROOT, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: process.env.HOME, TMPDIR: scratch, LANG: 'C.UTF-8', TERM: 'dumb' };
    shell = new Shell(env);
    const mismatches: string[] = [];
    const written = new Map<Step, string[]>();
    const values = new Map<string, string>();
    for (const step of steps) {
      const want = normalise(step.command, step.expected);
      const deadline = Date.now() + (step.retry ? (WRITE ? RETRY_MS / 2 : RETRY_MS) : 0);
      let got: { out: string; status: number };
      for (;;) {
        got = await shell.run(step.command);
        const ok = got.status === step.exit && JSON.stringify(normalise(step.command, asWritten(got.out, scratch))) === JSON.stringify(want);
        if (ok || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 300)); // poll interval of a retried read
      }
      // an output that still matches keeps its text (pids, ports and times as they were)
      const matches = JSON.stringify(normalise(step.command, asWritten(got.out, scratch))) === JSON.stringify(want);
      if (matches) learnValues(values, asWritten(got.out, scratch), step.expected);
      written.set(step, matches ? [...step.expected] : asWritten(got.out, scratch));
      if (got.status !== step.exit) mismatches.push(`docs/tutorial.md:${step.from}: \`${step.command}\` exited with ${got.status}, expected ${step.exit}\n${got.out}`);
      else {
        const have = normalise(step.command, asWritten(got.out, scratch));
        if (JSON.stringify(have) !== JSON.stringify(want)) mismatches.push(`docs/tutorial.md:${step.from}: \`${step.command}\`\n--- expected (normalised)\n${want.join('\n')}\n+++ got (normalised)\n${have.join('\n')}`);
      }
      if (!WRITE && mismatches.length > 0) break; // later steps depend on this one
    }

    if (WRITE) {
      const out = [...lines];
      for (const step of [...steps].reverse()) out.splice(step.from, step.to - step.from, ...(written.get(step) ?? step.expected).map((l) => asBefore(values, l)));
      writeFileSync(TUTORIAL, out.join('\n'));
      if (mismatches.length) console.warn(`docs/tutorial.md rewritten; these outputs changed:\n\n${mismatches.join('\n\n')}`);
      return;
    }
    expect(mismatches.join('\n\n')).toBe('');
  });
});

describe('the tutorial test: parsing and normalising', () => {
  it('takes each $ command with the lines under it, and the directive before its block', () => {
    const md = ['text', '', '<!-- test: retry, exit 2 -->', '```console', '$ a', 'x', '', '$ b', '```', '```console', '$ c', 'y', 'z', '```'];
    expect(parseTutorial(md)).toEqual([
      { command: 'a', from: 5, to: 6, expected: ['x'], retry: true, exit: 2 },
      { command: 'b', from: 8, to: 8, expected: [], retry: true, exit: 2 },
      { command: 'c', from: 11, to: 13, expected: ['y', 'z'], retry: false, exit: 0 },
    ]);
  });

  it('refuses output lines above any command', () => {
    expect(() => parseTutorial(['```console', 'stray', '```'])).toThrow(/docs\/tutorial.md:2: output with no command/);
  });

  it('ignores ids, pids, times, the API port and the subnet, but not the agent or its port', () => {
    const a = normalise('x', ['hello-0-server  RUNNING  hello-world__hello-0-server__d5d6f1b6-bd36-4fde-967a-e3c297b39126', '18318 18307 sleep 1000', 'scheduler at http://127.0.0.1:41057', '"127.31.199.2:10000"', '2026-11-25T16:24:49.242Z launching']);
    const b = normalise('x', ['hello-0-server RUNNING hello-world__hello-0-server__f6e9b82a-6f3e-4bc0-858b-992d768795b9', '  318   307 sleep 1000', 'scheduler at http://127.0.0.1:32773', '"127.42.165.2:10000"', '2026-12-01T02:56:00.645Z launching']);
    expect(a).toEqual(b);
    expect(normalise('x', ['"127.31.199.2:10000"'])).not.toEqual(normalise('x', ['"127.31.199.3:10000"']));
    expect(normalise('x', ['"127.31.199.2:10000"'])).not.toEqual(normalise('x', ['"127.31.199.2:11000"']));
    expect(normalise('x', ['hello-0-server (RUNNING)'])).not.toEqual(normalise('x', ['hello-0-server (FAILED)']));
  });

  it('keeps only the progress lines that report COMPLETE, and the last frame of --watch', () => {
    expect(normalise('svc install x', ['deploy STARTING: 0/2 steps complete, a', 'deploy COMPLETE: 2/2 steps complete'])).toEqual(['deploy COMPLETE: 2/2 steps complete']);
    expect(normalise('svc uninstall x --yes', ['uninstalling x', 'uninstalling x: killing tasks and releasing resources: 2/9 uninstall steps complete', 'service x uninstalled'])).toEqual(['uninstalling x', 'service x uninstalled']);
    expect(normalise('svc plan show p --watch', ['p (serial strategy) (STARTED)', '└─ f (STARTED)', 'p (serial strategy) (COMPLETE)', '└─ f (COMPLETE)'])).toEqual(['p (serial strategy) (COMPLETE)', '└─ f (COMPLETE)']);
  });
});

// Drives real services for the bench through the built `svc` binary, each in a temporary SVC_HOME,
// and reads what they leave on disk: the scheduler log (when each step launched) and the executors'
// journals (when each task reported RUNNING, with its pid). Every home is swept on cleanup.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { now, progress, runOk, waitFor, type Run } from './measure.js';

/** The repository root (the bench runs as dist/bench.js). */
export const ROOT = resolve(import.meta.dirname, '..');
export const SVC = join(ROOT, 'bin/svc');

const homes = new Set<TempHome>();

/** A temporary SVC_HOME. */
export class TempHome {
  readonly dir = mkdtempSync(join(tmpdir(), 'svc-bench-'));
  readonly env: NodeJS.ProcessEnv;

  constructor() {
    const { SVC_SERVICE: _s, SVC_TOKEN: _t, ...env } = process.env;
    this.env = { ...env, SVC_HOME: this.dir, NO_COLOR: '1' };
    homes.add(this);
  }

  svc(args: readonly string[], timeoutMs?: number): Promise<Run> {
    return runOk(SVC, args, this.env, timeoutMs);
  }

  writeSpec(name: string, text: string): string {
    const dir = join(this.dir, 'specs');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, text);
    return file;
  }

  /** Uninstalls every service of this home, then kills whatever is left and removes the folder. */
  async cleanup(): Promise<void> {
    if (!homes.has(this)) return;
    for (const name of readdirSync(this.dir).filter((d) => d !== 'specs')) {
      await this.svc(['uninstall', name, '--yes'], 180_000).catch((e: Error) => progress(`uninstall of ${name} failed: ${e.message}`));
    }
    killAllUnder(this.dir);
    rmSync(this.dir, { recursive: true, force: true });
    homes.delete(this);
  }
}

/** Last resort, e.g. on Ctrl-C: kill every process started for any bench home, remove the homes. */
export function sweepAllHomes(): void {
  for (const h of homes) {
    killAllUnder(h.dir);
    rmSync(h.dir, { recursive: true, force: true });
  }
  homes.clear();
}

/** Kills every process whose command line or environment mentions `dir` (daemons, executors, tasks). */
function killAllUnder(dir: string): void {
  for (const d of readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const seen = readFileSync(`/proc/${pid}/cmdline`, 'utf8') + readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (seen.includes(dir)) process.kill(pid, 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
}

export interface HttpReply {
  readonly status: number;
  readonly text: string;
}

/** One GET with the service token; `agent: false` opens a fresh connection. */
export function httpGet(url: string, token: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `token=${token}` }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

interface JournalEntry {
  readonly seq: number;
  readonly name: string;
  readonly status: { readonly taskId: string; readonly state: string; readonly timestamp: number; readonly pid?: number };
}

/** A task's first RUNNING report in its executor's journal, and the launch of its step. */
export interface TaskTimes {
  readonly pod: string;
  /** Epoch ms the scheduler logged `launching <step>`. */
  readonly launched: number;
  /** Epoch ms the executor journaled TASK_RUNNING. */
  readonly running: number;
}

/** An installed service in a TempHome. */
export class Service {
  constructor(
    readonly home: TempHome,
    readonly name: string,
  ) {}

  get root(): string {
    return join(this.home.dir, this.name);
  }
  private read(file: string): string {
    return readFileSync(join(this.root, file), 'utf8');
  }
  url(): string {
    return (JSON.parse(this.read('api.json')) as { url: string }).url;
  }
  token(): string {
    return this.read('token').trim();
  }
  schedulerPid(): number {
    return Number(this.read('scheduler.pid').trim());
  }

  get(path: string): Promise<HttpReply> {
    return httpGet(this.url() + path, this.token());
  }

  /** The deploy plan's status, or undefined while the API is not answering. */
  async planStatus(): Promise<string | undefined> {
    try {
      const r = await this.get('/v1/plans/deploy');
      return (JSON.parse(r.text) as { status: string }).status;
    } catch {
      return undefined;
    }
  }

  /** Phase strategies of the deploy plan as the API reports them. */
  async phaseStrategies(): Promise<string[]> {
    const r = await this.get('/v1/plans/deploy');
    return (JSON.parse(r.text) as { phases: Array<{ strategy: string }> }).phases.map((p) => p.strategy);
  }

  /** Executor folders: pod instance → folder. */
  executorDirs(): Map<string, string> {
    const out = new Map<string, string>();
    const agents = join(this.root, 'agents');
    for (const a of readdirSync(agents)) {
      let pods: string[] = [];
      try {
        pods = readdirSync(join(agents, a, 'executors'));
      } catch {
        continue;
      }
      for (const p of pods) out.set(p, join(agents, a, 'executors', p));
    }
    return out;
  }

  journal(pod: string): JournalEntry[] {
    const dir = this.executorDirs().get(pod);
    if (!dir) return [];
    let text = '';
    try {
      text = readFileSync(join(dir, 'journal.jsonl'), 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((l) => {
      try {
        return l ? [JSON.parse(l) as JournalEntry] : [];
      } catch {
        return [];
      }
    });
  }

  /** Per agent executor host alive: its pid and how many pod instances it runs. */
  executorHosts(): Array<{ pid: number; pods: number }> {
    const agents = join(this.root, 'agents');
    return readdirSync(agents).flatMap((a) => {
      try {
        const pid = Number(readFileSync(join(agents, a, 'executor.pid'), 'utf8').trim());
        const pods = readdirSync(join(agents, a, 'executors')).filter((p) => existsSync(join(agents, a, 'executors', p, 'executor.pid'))).length;
        return pods > 0 ? [{ pid, pods }] : [];
      } catch {
        return [];
      }
    });
  }

  /** The pid of each task's current incarnation (last RUNNING entry), by task name. */
  taskPids(): Map<string, number> {
    const out = new Map<string, number>();
    for (const pod of this.executorDirs().keys()) {
      for (const e of this.journal(pod)) if (e.status.state === 'TASK_RUNNING' && e.status.pid) out.set(e.name, e.status.pid);
    }
    return out;
  }

  /** Epoch ms the scheduler logged that it serves its API (its first start). */
  servingAt(): number | undefined {
    const m = /^(\S+) scheduler for .* serving /m.exec(this.read('scheduler.log'));
    return m ? Date.parse(m[1]) : undefined;
  }

  /** Per pod instance: when its first step was launched and its first task first ran. */
  taskTimes(): TaskTimes[] {
    const launched = new Map<string, number>();
    for (const line of this.read('scheduler.log').split('\n')) {
      const m = /^(\S+) launching (\S+)-(\d+):\[/.exec(line);
      const pod = m && `${m[2]}-${m[3]}`;
      if (m && pod && !launched.has(pod)) launched.set(pod, Date.parse(m[1]));
    }
    return [...launched].flatMap(([pod, t]) => {
      const run = this.journal(pod).find((e) => e.status.state === 'TASK_RUNNING');
      return run ? [{ pod, launched: t, running: run.status.timestamp * 1000 }] : [];
    });
  }

  /** Unix-socket connections the scheduler holds (one per executor it talks to). */
  schedulerUnixSockets(pid = this.schedulerPid()): number {
    const unix = new Set(
      readFileSync('/proc/net/unix', 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/)[6])
        .filter(Boolean),
    );
    let n = 0;
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && unix.has(m[1])) n++;
      } catch {
        // closed meanwhile
      }
    }
    return n;
  }
}

/** A one-task pod type of `count` instances; the deploy phase runs its steps with `strategy`. */
export function podsSpec(name: string, count: number, strategy: 'serial' | 'parallel'): string {
  return `name: ${name}
pods:
  p:
    count: ${count}
    tasks:
      t:
        goal: RUNNING
        cmd: exec sleep 1000000
        cpus: 0.01
        memory: 8
plans:
  deploy:
    strategy: serial
    phases:
      p:
        strategy: ${strategy}
        pod: p
`;
}

export interface Deployed {
  readonly service: Service;
  /** From starting `svc install --no-wait` until the deploy plan answers COMPLETE. */
  readonly ms: number;
  /** Epoch ms of the start. */
  readonly startedAt: number;
}

/**
 * Installs a spec without waiting, then polls the deploy plan until COMPLETE, every `pollMs` (a
 * figure read from logs and journals polls slowly, so its polling does not load the scheduler).
 */
export async function installAndWait(home: TempHome, name: string, specText: string, extraArgs: readonly string[] = [], timeoutMs = 300_000, pollMs = 10): Promise<Deployed> {
  const file = home.writeSpec(name, specText);
  const service = new Service(home, name);
  const startedAt = Date.now();
  const t0 = now();
  await home.svc(['install', file, '--no-wait', ...extraArgs]);
  await waitFor(`deploy of ${name}`, async () => (await service.planStatus()) === 'COMPLETE', timeoutMs, pollMs);
  return { service, ms: now() - t0, startedAt };
}

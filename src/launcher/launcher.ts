// install / uninstall / services: the lifecycle of a service's daemons on this machine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SvcClient } from '../client/index.js';
import { parseServiceSpec, SpecError } from '../spec/index.js';
import { pidAlive, readPid, writeFileAtomic } from '../util/fs.js';
import { listServices, ServiceHome } from './home.js';
import { LauncherError } from './errors.js';

export { LauncherError };
import type { InstallOptions } from './scheduler-process.js';

const distDir = () => dirname(fileURLToPath(import.meta.url));

export interface ResolvedSource {
  readonly specFile: string;
  readonly text: string;
  readonly env: Record<string, string>;
}

/** A spec file, or a folder holding `svc.yml`. */
export function resolveSource(source: string): ResolvedSource {
  const path = resolve(source);
  if (!existsSync(path)) throw new LauncherError(`no such spec file or folder: ${source}`, 'usage');
  let specFile = path;
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'marathon.json.mustache')) && !existsSync(join(path, 'svc.yml'))) {
      throw new LauncherError(`not supported: installing a package folder (${source}) is not available in this version; point at its svc.yml`, 'usage');
    }
    specFile = join(path, 'svc.yml');
    if (!existsSync(specFile)) throw new LauncherError(`${source} has no svc.yml`, 'usage');
  }
  return { specFile, text: readFileSync(specFile, 'utf8'), env: {} };
}

export interface Installed {
  readonly home: ServiceHome;
  readonly client: SvcClient;
}

/** Validates the spec, registers the service and starts its supervised scheduler. */
export async function install(svcHome: string, source: string, opts: InstallOptions = {}): Promise<Installed> {
  const src = resolveSource(source);
  let name: string;
  try {
    name = parseServiceSpec(src.text, src.env, src.specFile).name;
  } catch (e) {
    if (e instanceof SpecError) throw new LauncherError(e.message, 'usage');
    throw e;
  }
  const home = ServiceHome.of(svcHome, name);
  if (home.exists()) throw new LauncherError(`service "${name}" is already installed (${home.root}); uninstall it first with: svc uninstall ${name}`, 'conflict');
  mkdirSync(home.root, { recursive: true, mode: 0o700 });
  writeFileAtomic(home.path('svc.yml'), src.text);
  writeFileAtomic(home.path('env.json'), JSON.stringify(src.env, null, 2));
  writeFileAtomic(home.path('token'), randomBytes(24).toString('base64url'), 0o600);
  writeFileAtomic(home.path('service.json'), JSON.stringify({ name, source: src.specFile, installedAt: new Date().toISOString(), options: opts }, null, 2));
  startSupervisor(home);
  const url = await waitForApi(home, 20_000);
  return { home, client: new SvcClient({ url, token: home.token() }) };
}

function startSupervisor(home: ServiceHome): void {
  const log = openSync(home.path('supervisor.log'), 'a');
  const child = spawn(process.execPath, [join(distDir(), 'daemon.js'), 'supervise', home.root], {
    detached: true,
    stdio: ['ignore', log, log],
    cwd: home.root,
  });
  closeSync(log);
  child.unref();
}

/** Waits until the scheduler serves its API; fails with the log's tail if it dies first. */
async function waitForApi(home: ServiceHome, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const url = home.apiUrl();
    if (url && pidAlive(home.schedulerPid())) return url;
    const sup = home.supervisorPid();
    if (sup && !pidAlive(sup)) break;
    await sleep(25);
  }
  throw new LauncherError(`the scheduler of ${home.name} did not start; last lines of ${home.path('scheduler.log')}:\n${tail(home.path('scheduler.log'), 10)}`);
}

export interface UninstallProgress {
  (what: string): void;
}

/**
 * Asks the scheduler to run its uninstall plan and waits for it to exit; whatever is left after
 * that (a crashed scheduler, a half-done uninstall) is swept here. Always ends with no process and
 * no folder of the service.
 */
export async function uninstall(home: ServiceHome, progress: UninstallProgress = () => {}, timeoutMs = 120_000): Promise<void> {
  writeFileSync(home.path('uninstalling'), new Date().toISOString());
  const deadline = Date.now() + timeoutMs;
  const url = home.apiUrl();
  if (url && pidAlive(home.schedulerPid())) {
    const client = new SvcClient({ url, token: home.token() });
    try {
      await client.uninstall();
      while (Date.now() < deadline && pidAlive(home.supervisorPid())) {
        const plan = await client.plan('deploy').catch(() => undefined);
        if (plan) {
          const steps = plan.body.phases.flatMap((p) => p.steps);
          progress(`uninstalling: ${steps.filter((s) => s.status === 'COMPLETE').length}/${steps.length} steps complete`);
        }
        await sleep(100);
      }
    } catch {
      // the scheduler went away mid-way: the sweep below finishes the job
    }
  }
  progress('removing what is left');
  sweep(home);
}

/** Kills every process of the service (supervisor, scheduler, executors, tasks) and removes its folder. */
export function sweep(home: ServiceHome): void {
  const kill = (pid: number | undefined, group = false) => {
    if (!pid) return;
    try {
      process.kill(group ? -pid : pid, 'SIGKILL');
    } catch {
      // gone
    }
  };
  kill(home.supervisorPid());
  kill(home.schedulerPid());
  for (const dir of executorDirs(home.root)) {
    kill(readPid(join(dir, 'executor.pid')));
    for (const pid of journalPids(join(dir, 'journal.jsonl'))) kill(pid, true);
  }
  rmSync(home.root, { recursive: true, force: true });
}

function executorDirs(root: string): string[] {
  const agents = join(root, 'agents');
  const ls = (d: string) => {
    try {
      return readdirSync(d);
    } catch {
      return [];
    }
  };
  return ls(agents).flatMap((a) => ls(join(agents, a, 'executors')).map((e) => join(agents, a, 'executors', e)));
}

function journalPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((l) => {
        try {
          const pid = (JSON.parse(l) as { status?: { pid?: number } }).status?.pid;
          return pid ? [pid] : [];
        } catch {
          return [];
        }
      });
  } catch {
    return [];
  }
}

export interface ServiceSummary {
  name: string;
  status: 'RUNNING' | 'DEPLOYING' | 'RECOVERING' | 'UNINSTALLING' | 'DOWN';
  url: string | null;
  pid: number | null;
  home: string;
}

/** Installed services and their state, from the registry and a health probe of each. */
export async function services(svcHome: string): Promise<ServiceSummary[]> {
  return Promise.all(
    listServices(svcHome).map(async (home): Promise<ServiceSummary> => {
      const pid = home.schedulerPid();
      const alive = pidAlive(pid);
      const url = alive ? (home.apiUrl() ?? null) : null;
      let status: ServiceSummary['status'] = 'DOWN';
      if (home.uninstalling()) status = 'UNINSTALLING';
      else if (url) {
        const health = await new SvcClient({ url, token: home.token() }).health().catch(() => undefined);
        const code = health?.status;
        status = code === undefined ? 'DOWN' : code === 200 || code === 320 || code === 321 ? 'RUNNING' : [203, 205].includes(code) ? 'RECOVERING' : 'DEPLOYING';
      }
      return { name: home.name, status, url, pid: alive ? (pid ?? null) : null, home: home.root };
    }),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

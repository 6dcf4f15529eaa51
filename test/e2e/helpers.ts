// Helpers for end-to-end tests: run the built `svc` binary in a temp SVC_HOME, poll with deadlines,
// and find the processes a service left on this machine.
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SVC = join(ROOT, 'bin/svc');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runSvc(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [SVC, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: env.SVC_HOME, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`svc ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, timeoutMs);
    // 'close', not 'exit': output still in the pipes arrives after 'exit'
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code: code ?? -1, stdout, stderr });
    });
  });
}

export function tempHome(): { home: string; env: Record<string, string>; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'svc-e2e-'));
  // as svc makes an SVC_HOME: searchable, so tasks running as a spec's user (nobody) reach their sandboxes
  chmodSync(home, 0o711);
  return {
    home,
    env: { SVC_HOME: home },
    cleanup: () => {
      for (const p of processesUnder(home)) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` until it returns a truthy value or the deadline passes. */
type Falsy = false | 0 | '' | null | undefined;

export async function waitFor<T>(what: string, fn: () => T | Falsy | Promise<T | Falsy>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Proc {
  pid: number;
  cmdline: string;
  env: Record<string, string>;
}

function readProc(pid: number): Proc | undefined {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    const env = Object.fromEntries(
      readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    if (!cmdline) return undefined; // zombie
    return { pid, cmdline, env };
  } catch {
    return undefined;
  }
}

/** Every live process whose command line or environment mentions `home`. */
export function processesUnder(home: string): Proc[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .flatMap((d) => readProc(Number(d)) ?? [])
    .filter((p) => p.cmdline.includes(home) || Object.values(p.env).some((v) => v.includes(home)));
}

/** Task processes (started by an executor) of a service, by TASK_NAME. */
export function taskProcesses(home: string): Proc[] {
  return processesUnder(home).filter((p) => p.env.TASK_NAME && !p.cmdline.includes('executor.js'));
}

/** Live executor hosts under `home`, by their command lines (`executor.js <dir>/agents/<agent>`; a pid file may be stale). */
export function executorHosts(home: string): Array<{ pid: number; agent: string }> {
  return processesUnder(home).flatMap((p) => {
    const agent = /executor\.js \S+\/agents\/(\S+)$/.exec(p.cmdline)?.[1];
    return agent ? [{ pid: p.pid, agent }] : [];
  });
}

export const pidAlive = (pid: number): boolean => readProc(pid) !== undefined;

/** SIGKILL a process that may already be gone (the engine reaps a dead executor's tasks concurrently). */
export function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

const parentPid = (pid: number): number => {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
  } catch {
    return 0; // exited since it was listed
  }
};

/** A task's main process under `home`: its shell, or what the shell exec'd (no parent in the task). */
export function mainProcess(home: string, task: string): Proc | undefined {
  const procs = taskProcesses(home).filter((p) => p.env.TASK_NAME === task);
  return procs.find((p) => !procs.some((q) => q.pid === parentPid(p.pid)));
}

/**
 * A line for docs/reliability.md: what was tried, how many times, and what happened. Written only
 * when RELIABILITY_LOG names a file (npm run reliability sets it and renders the document).
 */
export function recordReliability(entry: { area: string; what: string; runs: number; result: string }): void {
  const file = process.env.RELIABILITY_LOG;
  if (file) appendFileSync(file, JSON.stringify(entry) + '\n');
}

/** mulberry32: a small seeded PRNG, so a failing randomized run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ApiReply {
  status: number;
  type: string;
  text: string;
  /** The parsed body when it is JSON, else the text. */
  body: unknown;
}

/**
 * Installs `source` as `name` in a temp home for the surrounding describe block (uninstalled
 * after it), and calls its API with the service token.
 */
export function installedService(source: string, name: string) {
  const t = tempHome();
  const api = { base: '', token: '' };
  beforeAll(async () => {
    expect((await runSvc(['install', source], t.env)).code).toBe(0);
    api.base = JSON.parse(readFileSync(join(t.home, name, 'api.json'), 'utf8')).url;
    api.token = readFileSync(join(t.home, name, 'token'), 'utf8').trim();
  });
  afterAll(async () => {
    await runSvc(['uninstall', name, '--yes'], t.env);
    t.cleanup();
  });
  const call = async (path: string, init: RequestInit = {}): Promise<ApiReply> => {
    const res = await fetch(api.base + path, { ...init, headers: { authorization: `token=${api.token}`, ...(init.headers ?? {}) } });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, type, text, body: type.startsWith('application/json') && text ? JSON.parse(text) : text };
  };
  return { home: t.home, env: t.env, api, call };
}

/** One memcached text-protocol exchange: sends `command`, reads until `until` matches. */
export function memcached(address: string, command: string, until = /\r\n(END|STORED|OK|NOT_STORED|ERROR)\r\n$|^(STORED|OK|END)\r\n$/): Promise<string> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const sock = new Socket();
    let buf = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`memcached at ${address} did not answer ${JSON.stringify(command)}: ${JSON.stringify(buf)}`));
    }, 5000);
    sock.on('data', (d) => {
      buf += d.toString();
      if (until.test(buf)) {
        clearTimeout(timer);
        sock.end();
        resolve(buf);
      }
    });
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    sock.connect(Number(port), host, () => sock.write(command));
  });
}

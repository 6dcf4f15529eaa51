// The talk's walkthrough with a real memcached: install, endpoints, flush plans (serial and
// parallel), restart, kill -9 of a task and of the scheduler, replace, exec, a rolling config
// update of the package, and uninstall — checked against real processes, sockets and files.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memcached, pidAlive, processesUnder, runSvc, taskProcesses, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
const dir = join(t.home, 'memcache');

const set = (a: string, key: string, value: string) => memcached(a, `set ${key} 0 0 ${value.length}\r\n${value}\r\n`);
const get = async (a: string, key: string) => {
  const r = await memcached(a, `get ${key}\r\n`);
  return /VALUE \S+ \d+ \d+\r\n(.*)\r\n/.exec(r)?.[1];
};

const addresses = async (): Promise<string[]> => JSON.parse((await svc('endpoints', 'memcache')).stdout).address;
const memcachedProcs = () => taskProcesses(t.home).filter((p) => p.cmdline.startsWith('memcached'));
const serverPid = (task: string) => memcachedProcs().find((p) => p.env.TASK_NAME === task)?.pid;
const execCat = async (task: string, file: string) => (await svc('task', 'exec', task, 'cat', file)).stdout;

/** flush.log lines of every instance: start, end (epoch seconds) and task name. */
function flushRuns(): Array<{ start: number; end: number; task: string }> {
  const runs: Array<{ start: number; end: number; task: string }> = [];
  for (const agent of readdirSync(join(dir, 'agents'))) {
    let vols: string[] = [];
    try {
      vols = readdirSync(join(dir, 'agents', agent, 'volumes'));
    } catch {
      continue;
    }
    for (const v of vols) {
      let text = '';
      try {
        text = readFileSync(join(dir, 'agents', agent, 'volumes', v, 'shared', 'flush.log'), 'utf8');
      } catch {
        continue;
      }
      for (const line of text.trim().split('\n')) {
        const [start, end, task] = line.split(' ');
        runs.push({ start: Number(start), end: Number(end), task });
      }
    }
  }
  return runs.sort((a, b) => a.start - b.start);
}

describe('the memcache walkthrough', () => {
  beforeAll(async () => {
    const r = await svc('install', 'examples/memcache');
    expect(r.code).toBe(0);
  });
  afterAll(async () => {
    await svc('uninstall', 'memcache', '--yes');
    t.cleanup();
  });

  it('deploys 3 instances on 3 different agents, listening where the endpoints say', async () => {
    expect((await svc('plan', 'show', 'deploy')).stdout.split('\n')[0]).toBe('deploy (serial strategy) (COMPLETE)');
    const procs = memcachedProcs();
    expect(procs).toHaveLength(3);
    expect(new Set(procs.map((p) => p.env.MESOS_CONTAINER_IP)).size).toBe(3);
    expect(JSON.parse((await svc('endpoints')).stdout)).toEqual(['memcache']);
    const addrs = await addresses();
    expect(addrs).toHaveLength(3);
    for (const [i, a] of addrs.entries()) {
      expect(await set(a, 'talk', `v${i}`)).toBe('STORED\r\n');
      expect(await get(a, 'talk')).toBe(`v${i}`);
    }
    // the config template rendered memcached's options from the task env
    const options = await execCat('cache-0-server', 'memcached.options');
    expect(options.trim()).toBe(`-l ${addrs[0].split(':')[0]} -p ${addrs[0].split(':')[1]} -m 64 -U 0 -u nobody`);
  });

  it('task exec prints the port the server wrote to the pod volume', async () => {
    const port = (await addresses())[0].split(':')[1];
    expect(await execCat('cache-0-server', 'shared/memcache-port')).toBe(`${port}\n`);
  });

  it('flush-all-serial empties every instance, one step at a time', async () => {
    const r = await svc('plan', 'start', 'flush-all-serial', '-p', 'FLUSH_DELAY=0.3', '--wait');
    expect(r.code).toBe(0);
    for (const a of await addresses()) expect(await get(a, 'talk')).toBeUndefined();
    const runs = flushRuns();
    expect(runs.map((x) => x.task)).toEqual(['cache-0-flush', 'cache-1-flush', 'cache-2-flush']);
    for (let i = 1; i < runs.length; i++) expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end);
  });

  it('flush-all-parallel flushes all instances at once', async () => {
    for (const a of await addresses()) await set(a, 'again', 'x');
    const before = flushRuns().length;
    expect((await svc('plan', 'start', 'flush-all-parallel', '-p', 'FLUSH_DELAY=1', '--wait')).code).toBe(0);
    const runs = flushRuns().slice(before);
    expect(runs).toHaveLength(3);
    const lastStart = Math.max(...runs.map((x) => x.start));
    const firstEnd = Math.min(...runs.map((x) => x.end));
    expect(lastStart).toBeLessThan(firstEnd); // every flush was running at the same moment
    for (const a of await addresses()) expect(await get(a, 'again')).toBeUndefined();
  });

  it('restart keeps the agent, the port and the pod volume', async () => {
    const pid = serverPid('cache-1-server');
    const addr = (await addresses())[1];
    writeFileSync(join(memcachedProcs().find((p) => p.pid === pid)?.env.MESOS_SANDBOX ?? '', 'shared', 'canary'), 'still here');
    expect((await svc('pod', 'restart', 'cache-1')).code).toBe(0);
    await waitFor('new memcached', () => serverPid('cache-1-server') !== pid && serverPid('cache-1-server'));
    await waitFor('deploy healthy', async () => (await svc('pod', 'status', 'cache-1')).stdout.includes('(RUNNING)'));
    expect((await addresses())[1]).toBe(addr);
    expect(await execCat('cache-1-server', 'shared/canary')).toBe('still here');
    expect(await waitFor('serving', () => set(addr, 'k', 'v').catch(() => undefined))).toBe('STORED\r\n');
  });

  it('recovers a memcached killed with kill -9', async () => {
    const pid = serverPid('cache-0-server') as number;
    process.kill(pid, 'SIGKILL');
    const addr = (await addresses())[0];
    await waitFor('relaunched', () => serverPid('cache-0-server') !== pid && serverPid('cache-0-server'));
    expect(await waitFor('serving', () => set(addr, 'k', 'v').catch(() => undefined))).toBe('STORED\r\n');
  });

  it('keeps tasks untouched through a kill -9 of the scheduler', async () => {
    const pids = memcachedProcs().map((p) => p.pid).sort();
    const schedulerPid = Number(readFileSync(join(dir, 'scheduler.pid'), 'utf8'));
    process.kill(schedulerPid, 'SIGKILL');
    await waitFor('scheduler back', async () => {
      const pid = Number(readFileSync(join(dir, 'scheduler.pid'), 'utf8'));
      return pid !== schedulerPid && pidAlive(pid) && (await svc('plan', 'list')).code === 0;
    });
    expect(JSON.parse((await svc('plan', 'list')).stdout)).toEqual(['deploy', 'recovery', 'flush-all-serial', 'flush-all-parallel']);
    // a task relaunched just before may still be waiting for its readiness check
    await waitFor('deploy COMPLETE', async () => (await svc('plan', 'show', 'deploy')).stdout.startsWith('deploy (serial strategy) (COMPLETE)'));
    expect(memcachedProcs().map((p) => p.pid).sort()).toEqual(pids);
  });

  it('replace moves cache-2 to a new reservation and a new volume, and it serves again', async () => {
    const reservations = () => JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8')) as Array<{ id: string; podInstance: string }>;
    const oldRes = reservations().find((r) => r.podInstance === 'cache-2')?.id;
    await svc('task', 'exec', 'cache-2-server', 'bash', '-c', 'echo old > shared/canary');
    const pid = serverPid('cache-2-server');
    expect((await svc('pod', 'replace', 'cache-2', '--yes')).code).toBe(0);
    await waitFor('replacement', () => serverPid('cache-2-server') !== pid && serverPid('cache-2-server'), 30_000);
    const newRes = reservations().find((r) => r.podInstance === 'cache-2')?.id;
    expect(newRes).toBeDefined();
    expect(newRes).not.toBe(oldRes);
    expect((await svc('task', 'exec', 'cache-2-server', 'test', '-e', 'shared/canary')).code).toBe(1);
    const addr = (await addresses())[2];
    expect(await execCat('cache-2-server', 'shared/memcache-port')).toBe(`${addr.split(':')[1]}\n`);
    expect(await waitFor('serving', () => set(addr, 'k', 'v').catch(() => undefined))).toBe('STORED\r\n');
  });

  it('uninstall leaves no memcached, no files, and frees the ports', async () => {
    const addrs = await addresses();
    expect((await svc('uninstall', 'memcache', '--yes')).code).toBe(0);
    expect(processesUnder(t.home)).toEqual([]);
    expect(readdirSync(t.home)).toEqual([]);
    for (const a of addrs) {
      const [host, port] = a.split(':');
      await new Promise<void>((resolve, reject) => {
        const srv = createServer();
        srv.once('error', reject);
        srv.listen(Number(port), host, () => srv.close(() => resolve()));
      });
    }
  });
});

describe('the memcache package: options and a rolling update', () => {
  const p = tempHome();
  const psvc = (...args: string[]) => runSvc(args, p.env);
  const pdir = join(p.home, 'memcache');
  afterAll(async () => {
    await psvc('uninstall', 'memcache', '--yes');
    p.cleanup();
  });

  /** Per instance: when its old task was killed and its new one became ready, from the executor journals. */
  function rollout(): Array<{ pod: string; killed: number; ready: number }> {
    const out: Array<{ pod: string; killed: number; ready: number }> = [];
    for (const agent of readdirSync(join(pdir, 'agents'))) {
      if (!existsSync(join(pdir, 'agents', agent, 'executors'))) continue; // an agent no instance was placed on
      for (const pod of readdirSync(join(pdir, 'agents', agent, 'executors'))) {
        const entries = readFileSync(join(pdir, 'agents', agent, 'executors', pod, 'journal.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { name: string; status: { state: string; timestamp: number; ready?: boolean } })
          .filter((e) => e.name.endsWith('-server'));
        const killed = entries.find((e) => e.status.state === 'TASK_KILLED');
        const ready = entries.filter((e) => e.status.ready).at(-1);
        if (killed && ready) out.push({ pod, killed: killed.status.timestamp, ready: ready.status.timestamp });
      }
    }
    return out.sort((a, b) => a.killed - b.killed);
  }

  it('installs with options, then rolls a memory change out one instance at a time', async () => {
    const opts = join(p.home, 'options.json');
    writeFileSync(opts, JSON.stringify({ memcache: { count: 2 } }));
    expect((await psvc('install', 'examples/memcache/package', '--options', opts)).code).toBe(0);
    expect(JSON.parse((await psvc('pod', 'list')).stdout)).toEqual(['cache-0', 'cache-1']);

    writeFileSync(opts, JSON.stringify({ memcache: { memory: 96 } }));
    const r = await psvc('update', 'start', '--options', opts, '--wait');
    expect(r.code).toBe(0);
    const procs = taskProcesses(p.home).filter((x) => x.cmdline.startsWith('memcached'));
    expect(procs).toHaveLength(2);
    for (const x of procs) expect(x.cmdline).toContain('-m 96');
    const steps = rollout();
    expect(steps.map((s) => s.pod)).toEqual(['cache-0', 'cache-1']);
    expect(steps[1].killed).toBeGreaterThanOrEqual(steps[0].ready); // cache-1 waited for cache-0
  });

  it('rejects an invalid option or a forbidden change, and keeps running the old config', async () => {
    const opts = join(p.home, 'bad.json');
    writeFileSync(opts, JSON.stringify({ memcache: { count: 0 } }));
    const bad = await psvc('update', 'start', '--options', opts);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('/memcache/count: must be >= 1');
    writeFileSync(opts, JSON.stringify({ memcache: { count: 1 } }));
    const shrink = await psvc('update', 'start', '--options', opts);
    expect(shrink.code).toBe(1);
    expect(shrink.stderr).toContain('pods.cache.count: cannot shrink from 2 to 1 without allow-decommission');
    expect(JSON.parse((await psvc('pod', 'list')).stdout)).toEqual(['cache-0', 'cache-1']);
  });
});

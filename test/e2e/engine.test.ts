// The local engine on real processes: health checks, kill grace periods, memory limits,
// essential tasks, executor and "machine reboot" failures, and fields it cannot run.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killIfAlive, mainProcess, pidAlive, processesUnder, recordReliability, runSvc, taskProcesses, tempHome, waitFor, type Proc } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
const dir = join(t.home, 'engine');
const log = () => readFileSync(join(dir, 'scheduler.log'), 'utf8');

const main = (task: string): Proc | undefined => mainProcess(t.home, task);
const launches = async (task: string) => (await svc('task', 'exec', task, 'cat', 'data/launches')).stdout.trim().split('\n');
const relaunched = (task: string, old: number) => waitFor(`${task} relaunched`, () => main(task)?.pid !== old && main(task)?.pid, 20_000);

const executors = () =>
  readdirSync(join(dir, 'agents')).flatMap((a) => {
    const ex = join(dir, 'agents', a, 'executors');
    return existsSync(ex) ? readdirSync(ex).map((pod) => ({ pod, pid: Number(readFileSync(join(ex, pod, 'executor.pid'), 'utf8')) })) : [];
  });

/**
 * Where svc can put tasks in a memory cgroup: cgroup v2 with the memory controller, or v1's memory
 * hierarchy, and a folder can be made in it (probed here, independently of the engine's own check).
 */
function writableMemoryCgroupRoot(): { mount: string; v2: boolean } | undefined {
  const v2 = '/sys/fs/cgroup';
  const candidates = [
    ...(existsSync(join(v2, 'cgroup.controllers')) && readFileSync(join(v2, 'cgroup.controllers'), 'utf8').includes('memory') ? [{ mount: v2, v2: true }] : []),
    ...(existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes') ? [{ mount: '/sys/fs/cgroup/memory', v2: false }] : []),
  ];
  for (const c of candidates) {
    const probe = join(c.mount, `svc-probe-${process.pid}`);
    try {
      mkdirSync(probe);
      rmdirSync(probe);
      return c;
    } catch {
      // not writable by this user
    }
  }
  return undefined;
}

/** This service's task cgroups (named by task id) under every controller's `svc` folder. */
const taskCgroups = (): string[] =>
  ['/sys/fs/cgroup/memory/svc', '/sys/fs/cgroup/svc'].filter(existsSync).flatMap((d) => readdirSync(d).filter((n) => n.startsWith('engine__')).map((n) => join(d, n)));

describe('the local engine', () => {
  let cgroupsBefore: string[] = [];
  beforeAll(async () => {
    cgroupsBefore = taskCgroups(); // left by an earlier run killed mid-way: not this run's
    expect((await svc('install', 'test/fixtures/engine.yml')).code).toBe(0);
  });
  afterAll(async () => {
    await svc('uninstall', 'engine', '--yes');
    t.cleanup();
  });

  it('kills a task whose health check fails and relaunches it', async () => {
    const old = main('checks-0-server')?.pid as number;
    await svc('task', 'exec', 'checks-0-server', 'rm', 'healthy');
    await relaunched('checks-0-server', old);
    expect(log()).toContain('task checks-0-server TASK_FAILED: health check failed 2 times in a row');
    expect(await launches('checks-0-server')).toEqual(['launch', 'launch']);
  });

  it('sends SIGTERM first and lets a task finish within its grace period', async () => {
    const old = main('graceful-0-server')?.pid as number;
    await svc('pod', 'restart', 'graceful-0');
    await relaunched('graceful-0-server', old);
    expect((await svc('task', 'exec', 'graceful-0-server', 'cat', 'data/signals')).stdout).toBe('TERM\nclean exit\n');
  });

  it('SIGKILLs a task that ignores SIGTERM once the grace period is over, leaving nothing behind', async () => {
    const old = main('stubborn-0-server') as Proc;
    const group = taskProcesses(t.home).filter((p) => p.env.TASK_NAME === 'stubborn-0-server').map((p) => p.pid);
    const started = Date.now();
    await svc('pod', 'restart', 'stubborn-0');
    await waitFor('old task gone', () => !pidAlive(old.pid), 10_000, 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // kill-grace-period: 1
    for (const pid of group) expect(pidAlive(pid)).toBe(false);
    await relaunched('stubborn-0-server', old.pid);
  });

  it('enforces the memory limit wherever this machine lets a memory cgroup be created (skipped, not passed, elsewhere)', async (ctx) => {
    const root = writableMemoryCgroupRoot();
    if (!root) return ctx.skip('no writable memory cgroup hierarchy here: enforcement cannot be proven');
    const old = main('hungry-0-server') as Proc;
    // the task runs inside its own cgroup, limited to its spec's 24 MB
    const line = readFileSync(`/proc/${old.pid}/cgroup`, 'utf8').split('\n').find((l) => (root.v2 ? l.startsWith('0::') : /^\d+:memory:/.test(l)));
    const group = line?.slice(line.indexOf(':', line.indexOf(':') + 1) + 1) ?? '';
    expect(group, `the task's cgroup (${line})`).toMatch(/\/svc\/engine__hungry-0-server__/);
    expect(Number(readFileSync(join(root.mount, group, root.v2 ? 'memory.max' : 'memory.limit_in_bytes'), 'utf8'))).toBe(24 * 1024 * 1024);
    await svc('task', 'exec', 'hungry-0-server', 'touch', 'eat');
    await relaunched('hungry-0-server', old.pid);
    expect(log()).toMatch(/task hungry-0-server TASK_FAILED: (exited with code 137|killed by signal SIGKILL)/);
  });

  it('restarts only a failed non-essential task, but the whole pod when an essential one fails', async () => {
    const mainPid = main('duo-0-main')?.pid as number;
    const helperPid = main('duo-0-helper')?.pid as number;
    process.kill(helperPid, 'SIGKILL');
    const helper2 = await relaunched('duo-0-helper', helperPid);
    expect(main('duo-0-main')?.pid).toBe(mainPid);
    process.kill(mainPid, 'SIGKILL');
    await relaunched('duo-0-main', mainPid);
    await relaunched('duo-0-helper', helper2);
    expect(log()).toContain('essential task duo-0-main failed: restarting duo-0-helper with it');
  });

  it("reports tasks lost when their agent's executor host is killed, kills their leftovers and relaunches them in place", async () => {
    const task = main('checks-0-server') as Proc;
    const exec = executors().find((e) => e.pod === 'checks-0') as { pid: number };
    process.kill(exec.pid, 'SIGKILL');
    await waitFor('orphan killed', () => !pidAlive(task.pid));
    const next = await relaunched('checks-0-server', task.pid);
    expect(log()).toContain('task checks-0-server TASK_LOST: task lost: executor terminated');
    expect(taskProcesses(t.home).find((p) => p.pid === next)?.env.MESOS_CONTAINER_IP).toBe(task.env.MESOS_CONTAINER_IP);
    expect((await launches('checks-0-server')).length).toBe(3);
    recordReliability({ area: 'faults', what: "kill -9 of an agent's executor host", runs: 1, result: 'its tasks reported TASK_LOST, their leftover processes killed, relaunched in place with their volumes' });
  });

  it('recovers every task after a simulated reboot (all executor hosts and tasks killed) on the same reservations', async () => {
    const reservations = readFileSync(join(dir, 'reservations.json'), 'utf8');
    const before = new Map(['checks-0-server', 'graceful-0-server', 'stubborn-0-server', 'duo-0-main'].map((n) => [n, main(n)?.pid as number]));
    for (const e of executors()) killIfAlive(e.pid);
    for (const p of taskProcesses(t.home)) killIfAlive(p.pid);
    try {
      for (const [name, pid] of before) await relaunched(name, pid);
    } catch (e) {
      // seen twice in ~10 full runs under load, never alone: the scheduler's view, for whoever meets it next
      throw new Error(`${(e as Error).message}\nscheduler.log, last 60 lines:\n${log().split('\n').slice(-60).join('\n')}`);
    }
    await waitFor('deploy and recovery settle', async () => (await svc('pod', 'status')).stdout.match(/\(RUNNING\)/g)?.length === 6, 20_000);
    expect(readFileSync(join(dir, 'reservations.json'), 'utf8')).toBe(reservations);
    recordReliability({ area: 'faults', what: 'simulated reboot: kill -9 of every executor host and task of 5 pods', runs: 1, result: 'all 6 tasks recovered on their own reservations and volumes' });
  });

  it('leaves nothing behind on uninstall', async () => {
    expect((await svc('uninstall', 'engine', '--yes')).code).toBe(0);
    expect(processesUnder(t.home)).toEqual([]);
    // every task that ran (failed, killed, relaunched, lost with its executor) took its cgroup with it
    const left = () => taskCgroups().filter((d) => !cgroupsBefore.includes(d));
    await waitFor('no cgroup of this run left', () => left().length === 0, 5_000).catch(() => expect(left()).toEqual([]));
  });
});

describe('fields the local engine cannot run', () => {
  const u = tempHome();
  afterAll(() => u.cleanup());
  it('refuses them at install, naming each field', async () => {
    const r = await runSvc(['install', 'test/fixtures/unsupported.yml'], u.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        'svc: cannot run unsupported here:',
        '- pods.web.seccomp-profile-name: not supported by the local engine: seccomp profiles need `image:` (tasks without one are host processes)',
        '- pods.web.tasks.server.gpus: not supported by the local engine: GPUs',
        '',
      ].join('\n'),
    );
    expect(readdirSync(u.home)).toEqual([]);
  });
});

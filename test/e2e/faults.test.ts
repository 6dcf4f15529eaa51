// kill -9 of the scheduler at seeded random instants of a deploy and of a rolling update: the end
// state must equal an uninterrupted run, no reservation may leak, and no task may ever have run twice
// at once (checked from the executors' own journals).
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executorHosts, killIfAlive, pidAlive, prng, processesUnder, recordReliability, runSvc, taskProcesses, tempHome, waitFor } from './helpers.js';

const SEED = 20261125;
const NODES = Array.from({ length: 10 }, (_, i) => i);
const t = tempHome();
const env = { ...t.env, SVC_MAX_RESTART_BACKOFF_MS: '200' };
const svc = (...args: string[]) => runSvc(args, env);
const dir = join(t.home, 'faults');
const spec = join(t.home, 'faults.yml');

const random = prng(SEED);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The scheduler's pid, or undefined once its folder is gone (uninstalled). */
const schedulerPidIfAny = (): number | undefined => {
  try {
    const pid = Number(readFileSync(join(dir, 'scheduler.pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};
/** The scheduler's pid, which must exist: a missing one is a failure, never pid 0 (`kill(0)` is our own group). */
const schedulerPid = (): number => {
  const pid = schedulerPidIfAny();
  expect(pid, `${join(dir, 'scheduler.pid')} names no scheduler`).toBeGreaterThan(0);
  return pid as number;
};
const deployLine = async () => (await svc('plan', 'show', 'deploy')).stdout.split('\n')[0];

const deployComplete = async () => (await deployLine()) === 'deploy (serial strategy) (COMPLETE)';

/** Kills the scheduler at random instants until `done` (default: deploy COMPLETE); returns the kill count. */
async function killUntilComplete(maxKills: number, done: () => Promise<boolean> = deployComplete, maxDelayMs = 300): Promise<number> {
  let kills = 0;
  while (kills < maxKills) {
    await sleep(10 + random() * maxDelayMs);
    if (await done()) break;
    const pid = schedulerPid();
    process.kill(pid, 'SIGKILL');
    kills++;
    await waitFor('scheduler restarted', async () => {
      const now = schedulerPidIfAny();
      return now !== undefined && now !== pid && pidAlive(now) && (await svc('plan', 'list')).code === 0;
    }, 30_000);
  }
  await waitFor('done', done, 60_000);
  return kills;
}

const reservationOf = (pod: string) => (JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8')) as Array<{ id: string; podInstance: string }>).find((r) => r.podInstance === pod)?.id;
const canary = async (pod: string) => (await svc('task', 'exec', `${pod}-server`, 'cat', 'data/canary')).stdout;

/** From every executor journal: the most incarnations of one task that were ever alive at once. */
function maxConcurrentIncarnations(): number {
  let max = 0;
  for (const agent of readdirSync(join(dir, 'agents'))) {
    let pods: string[] = [];
    try {
      pods = readdirSync(join(dir, 'agents', agent, 'executors'));
    } catch {
      continue;
    }
    for (const pod of pods) {
      const alive = new Map<string, Set<string>>();
      const lines = readFileSync(join(dir, 'agents', agent, 'executors', pod, 'journal.jsonl'), 'utf8').trim().split('\n');
      for (const line of lines) {
        const e = JSON.parse(line) as { name: string; status: { taskId: string; state: string } };
        const set = alive.get(e.name) ?? new Set<string>();
        if (['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST'].includes(e.status.state)) set.delete(e.status.taskId);
        else set.add(e.status.taskId);
        alive.set(e.name, set);
        max = Math.max(max, set.size);
      }
    }
  }
  return max;
}

const expectedPlan = ['deploy (serial strategy) (COMPLETE)', '└─ node (serial strategy) (COMPLETE)', ...NODES.map((i) => `   ${i === NODES.length - 1 ? '└─' : '├─'} node-${i}:[server] (COMPLETE)`), ''].join('\n');

function assertEndState(version: string): void {
  const procs = taskProcesses(t.home).filter((p) => p.cmdline === 'sleep 1000');
  expect(procs.map((p) => p.env.TASK_NAME).sort()).toEqual(NODES.map((i) => `node-${i}-server`).sort());
  for (const p of procs) expect(p.env.VERSION).toBe(version);
  expect(JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8'))).toHaveLength(NODES.length);
  expect(maxConcurrentIncarnations()).toBe(1);
}

/**
 * Each test starts from its own service: whatever an earlier test left is uninstalled, the spec is
 * written afresh (VERSION 1, `count` pods), installed to a complete deploy, and every volume gets a
 * canary file. Tests can run alone or in any order.
 */
async function freshService(count = NODES.length): Promise<void> {
  if (existsSync(dir)) expect((await svc('uninstall', 'faults', '--yes')).code).toBe(0);
  writeFileSync(spec, readFileSync('test/fixtures/faults.yml', 'utf8').replace('count: 10', `count: ${count}`));
  expect((await svc('install', spec)).code).toBe(0);
  await waitFor('deploy complete', deployComplete, 60_000);
  for (const i of NODES.slice(0, count)) expect((await svc('task', 'exec', `node-${i}-server`, 'bash', '-c', 'echo canary > data/canary')).code).toBe(0);
}

describe(`kill -9 of the scheduler at random instants (seed ${SEED})`, () => {
  afterAll(async () => {
    await svc('uninstall', 'faults', '--yes');
    t.cleanup();
  });

  it('a deploy interrupted many times ends exactly like an uninterrupted one', async () => {
    if (existsSync(dir)) expect((await svc('uninstall', 'faults', '--yes')).code).toBe(0);
    copyFileSync('test/fixtures/faults.yml', spec);
    expect((await svc('install', spec, '--no-wait')).code).toBe(0);
    const kills = await killUntilComplete(20);
    expect((await svc('plan', 'show', 'deploy')).stdout).toBe(expectedPlan);
    assertEndState('1');
    recordReliability({ area: 'faults', what: `kill -9 of the scheduler at random instants of a 10-pod deploy (seed ${SEED})`, runs: kills, result: 'end state identical to an uninterrupted deploy; no task ran twice at once; no reservation leaked' });
  });

  it('so do rolling updates interrupted many times (updates go on until 20 kills have landed in them)', async () => {
    await freshService();
    let kills = 0;
    let version = 1;
    while (kills < 20 && version < 10) {
      writeFileSync(spec, readFileSync(spec, 'utf8').replace(`VERSION: "${version}"`, `VERSION: "${version + 1}"`));
      version++;
      expect((await svc('update', 'start')).code).toBe(0);
      kills += await killUntilComplete(20 - kills);
      expect((await svc('plan', 'show', 'deploy')).stdout).toBe(expectedPlan);
      assertEndState(String(version));
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    recordReliability({ area: 'faults', what: `kill -9 of the scheduler at random instants of ${version - 1} rolling updates of 10 pods (seed ${SEED})`, runs: kills, result: 'every task on the new config, one incarnation each; no task ran twice at once; no reservation leaked' });
  });

  it('replaces interrupted many times move only their pod, and lose no other volume (up to 8 replaces, until 8 kills have landed in them)', async () => {
    await freshService();
    const replacedPods: number[] = [];
    let kills = 0;
    for (const i of [3, 5, 1, 6, 2, 4, 0, 7]) {
      if (kills >= 8) break;
      const pod = `node-${i}`;
      const old = reservationOf(pod);
      expect((await svc('pod', 'replace', pod, '--yes')).code).toBe(0);
      const replaced = async () => reservationOf(pod) !== old && (await svc('pod', 'status', pod)).stdout.includes('(RUNNING)') && (await svc('plan', 'show', 'recovery')).stdout.startsWith('recovery (parallel strategy) (COMPLETE)');
      kills += await killUntilComplete(8 - kills, replaced, 60);
      replacedPods.push(i);
      for (const j of NODES) expect([j, await canary(`node-${j}`)]).toEqual([j, replacedPods.includes(j) ? '' : 'canary\n']);
      expect(maxConcurrentIncarnations()).toBe(1);
      expect(JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8'))).toHaveLength(NODES.length);
    }
    expect(kills).toBeGreaterThanOrEqual(6);
    recordReliability({ area: 'faults', what: `kill -9 of the scheduler at random instants of ${replacedPods.length} pod replaces (seed ${SEED})`, runs: kills, result: 'each pod got a new reservation and an empty volume; every other volume kept its canary file; no task ran twice at once' });
  });

  it('a decommission interrupted many times removes exactly the highest instances', async () => {
    await freshService();
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('count: 10', 'count: 8'));
    expect((await svc('update', 'start')).code).toBe(0);
    const decommissioned = async () => {
      const pods = JSON.parse((await svc('pod', 'list')).stdout || '[]') as string[];
      // a finished decommission plan stays answerable (COMPLETE) until the next scheduler start
      const plan = await svc('plan', 'show', 'decommission', '--json');
      return pods.length === 8 && (plan.code !== 0 || JSON.parse(plan.stdout || '{}').status === 'COMPLETE');
    };
    const kills = await killUntilComplete(8, decommissioned, 60);
    expect(JSON.parse((await svc('pod', 'list')).stdout)).toEqual(NODES.slice(0, 8).map((i) => `node-${i}`).sort());
    expect(JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8'))).toHaveLength(8);
    expect(taskProcesses(t.home).filter((p) => ['node-8-server', 'node-9-server'].includes(p.env.TASK_NAME))).toEqual([]);
    for (const i of NODES.slice(0, 8)) expect(await canary(`node-${i}`)).toBe('canary\n');
    recordReliability({ area: 'faults', what: `kill -9 of the scheduler at random instants of a decommission of 2 of 10 pods (seed ${SEED})`, runs: kills, result: 'exactly node-8 and node-9 killed, unreserved and forgotten; the other volumes kept their canary files' });
  });

  it('a rolling update under kill -9 of tasks and executor hosts at random instants ends on the new config with every volume intact', async () => {
    const pods = NODES.slice(0, 8);
    await freshService(pods.length);
    const version = /VERSION: "(\d+)"/.exec(readFileSync(spec, 'utf8'))?.[1] as string;
    const next = String(Number(version) + 1);
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(`VERSION: "${version}"`, `VERSION: "${next}"`));
    expect((await svc('update', 'start')).code).toBe(0);
    const hosts = () => executorHosts(t.home).map((h) => h.pid);
    const settled = async () => {
      const running = taskProcesses(t.home).filter((p) => p.cmdline === 'sleep 1000');
      return (await deployComplete()) && running.length === pods.length && running.every((p) => p.env.VERSION === next) && (await svc('plan', 'show', 'recovery')).stdout.startsWith('recovery (parallel strategy) (COMPLETE)');
    };
    const landed = { tasks: 0, hosts: 0 };
    while (landed.tasks + landed.hosts < 12) {
      await sleep(50 + random() * 400);
      if (random() < 0.25) {
        const live = hosts();
        if (live.length === 0) continue;
        killIfAlive(live[Math.floor(random() * live.length)]);
        landed.hosts++;
      } else {
        const tasks = taskProcesses(t.home).filter((p) => p.cmdline === 'sleep 1000');
        if (tasks.length === 0) continue;
        killIfAlive(tasks[Math.floor(random() * tasks.length)].pid);
        landed.tasks++;
      }
    }
    await waitFor('update and recovery settle', settled, 90_000, 200);
    expect(JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8'))).toHaveLength(pods.length);
    for (const i of pods) expect(await canary(`node-${i}`)).toBe('canary\n');
    expect(maxConcurrentIncarnations()).toBe(1);
    recordReliability({
      area: 'faults',
      what: `kill -9 of ${landed.tasks} tasks and ${landed.hosts} executor hosts at random instants of a rolling update of 8 pods (seed ${SEED})`,
      runs: landed.tasks + landed.hosts,
      result: 'every task relaunched on its own reservation and on the new config; every volume kept its canary file; no task ran twice at once',
    });
  });

  /** Uninstalls while killing the scheduler at random instants; returns the kills that landed. */
  async function uninstallUnderFire(): Promise<number> {
    const uninstall = svc('uninstall', 'faults', '--yes');
    let finished = false;
    void uninstall.then(() => (finished = true));
    let kills = 0;
    while (!finished) {
      await sleep(10 + random() * 40);
      const pid = schedulerPidIfAny();
      if (pid === undefined || !pidAlive(pid) || finished) continue;
      killIfAlive(pid); // the scheduler may exit on its own in between: uninstall is done
      kills++;
    }
    expect((await uninstall).code).toBe(0);
    expect(processesUnder(t.home)).toEqual([]);
    expect(readdirSync(t.home).filter((f) => f === 'faults')).toEqual([]);
    return kills;
  }

  it('uninstalls interrupted many times still leave nothing (installs and uninstalls go on until 6 kills have landed)', async () => {
    await freshService(8);
    let kills = await uninstallUnderFire();
    let cycles = 1;
    while (kills < 6 && cycles < 10) {
      await freshService(3);
      kills += await uninstallUnderFire();
      cycles++;
    }
    expect(kills).toBeGreaterThanOrEqual(6);
    expect((await svc('uninstall', 'faults', '--yes')).code).toBe(3);
    recordReliability({ area: 'faults', what: `kill -9 of the scheduler at random instants of ${cycles} uninstalls (seed ${SEED})`, runs: kills, result: 'no process, reservation or file of the service left' });
  });
});

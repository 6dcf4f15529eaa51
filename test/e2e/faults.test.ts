// kill -9 of the scheduler at seeded random instants of deploys, rolling updates, replaces,
// decommissions and uninstalls: the end state must equal an uninterrupted run, no reservation may
// leak, no volume may lose its data, no task may ever have run twice at once (from the executors'
// own journals) and no process may be left over. Each scenario goes on until SVC_FAULT_INSTANTS
// kills have landed (npm run reliability: 20), or its smaller CI default; what it measured is
// recorded for docs/reliability.md before it is asserted.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { doubleLaunches, expectClean, faultInstants, killScheduler, noFigures, recordKills, schedulerPidIfAny, type KillFigures } from './fault-kit.js';
import { executorHosts, killIfAlive, mainProcess, pidAlive, prng, processesUnder, recordReliability, runSvc, taskProcesses, tempHome, waitFor } from './helpers.js';

const SEED = 20261125;
const NODES = Array.from({ length: 10 }, (_, i) => i);
const t = tempHome();
const env = { ...t.env, SVC_MAX_RESTART_BACKOFF_MS: '200' };
const svc = (...args: string[]) => runSvc(args, env);
const dir = join(t.home, 'faults');
const spec = join(t.home, 'faults.yml');

const random = prng(SEED);
/** A scenario's upper bound: its loops are bounded, 20 instants of a replace take minutes. */
const SCENARIO_MS = 900_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const deployLine = async () => (await svc('plan', 'show', 'deploy')).stdout.split('\n')[0];

const deployComplete = async () => (await deployLine()) === 'deploy (serial strategy) (COMPLETE)';

/** Kills the scheduler at random instants until `done` (default: deploy COMPLETE); returns the kill count. */
async function killUntilComplete(maxKills: number, done: () => Promise<boolean> = deployComplete, maxDelayMs = 300): Promise<number> {
  let kills = 0;
  while (kills < maxKills) {
    await sleep(10 + random() * maxDelayMs);
    if (await done()) break;
    await killScheduler(dir);
    kills++;
  }
  await waitFor('done', done, 60_000);
  return kills;
}

const reservationOf = (pod: string) => (JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8')) as Array<{ id: string; podInstance: string }>).find((r) => r.podInstance === pod)?.id;
/** A pod's canary file, read through its running task's sandbox (its volume link); '' when there is none. */
const canary = async (pod: string): Promise<string> => {
  const sandbox = mainProcess(t.home, `${pod}-server`)?.env.MESOS_SANDBOX;
  try {
    return sandbox ? readFileSync(join(sandbox, 'data', 'canary'), 'utf8') : '';
  } catch {
    return '';
  }
};

/** Task processes beyond one per expected task: a leftover of an earlier incarnation, or one not expected at all. */
function extraTaskProcesses(expected: readonly string[]): number {
  const procs = taskProcesses(t.home).filter((p) => p.cmdline === 'sleep 1000');
  return procs.length - new Set(procs.map((p) => p.env.TASK_NAME).filter((n) => expected.includes(n))).size;
}

/** Counts each pod's canary file: present for `kept`, gone (a new volume) for the others. */
async function checkVolumes(f: KillFigures, pods: readonly number[], emptied: readonly number[] = []): Promise<void> {
  for (const j of pods) {
    f.volumesChecked++;
    if ((await canary(`node-${j}`)) !== (emptied.includes(j) ? '' : 'canary\n')) f.lostVolumes++;
  }
}

/** Double launches seen across the services a scenario installed, by `<service round>:<task>`. */
class Doubles {
  private readonly seen = new Set<string>();
  private round = 0;
  /** Notes this service's double launches (call before it is uninstalled). */
  note(): void {
    for (const name of doubleLaunches(dir)) this.seen.add(`${this.round}:${name}`);
    this.round++;
  }
  get count(): number {
    return this.seen.size;
  }
}

/** Records a scheduler-kill scenario's figures (double launches from `doubles`, else the service's journals), then asserts them. */
function finish(what: string, f: KillFigures, instants: { target: number; ciDefault: number }, doubles?: Doubles): void {
  if (doubles) doubles.note();
  f.doubleLaunches = doubles ? doubles.count : doubleLaunches(dir).length;
  recordKills({ when: 'during', what, seed: SEED, instants, figures: f });
  expectClean(f);
  expect(f.kills).toBeGreaterThanOrEqual(instants.target);
}

const expectedPlan = ['deploy (serial strategy) (COMPLETE)', '└─ node (serial strategy) (COMPLETE)', ...NODES.map((i) => `   ${i === NODES.length - 1 ? '└─' : '├─'} node-${i}:[server] (COMPLETE)`), ''].join('\n');

function assertEndState(version: string): void {
  const procs = taskProcesses(t.home).filter((p) => p.cmdline === 'sleep 1000');
  expect(procs.map((p) => p.env.TASK_NAME).sort()).toEqual(NODES.map((i) => `node-${i}-server`).sort());
  for (const p of procs) expect(p.env.VERSION).toBe(version);
  expect(JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8'))).toHaveLength(NODES.length);
  expect(doubleLaunches(dir)).toEqual([]);
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

  it('deploys interrupted many times end exactly like an uninterrupted one (deploys go on until the instants have landed)', async () => {
    const instants = faultInstants(6);
    const target = instants.target;
    const f = noFigures();
    const doubles = new Doubles();
    let deploys = 0;
    while (f.kills < target && deploys < 10) {
      if (existsSync(dir)) {
        doubles.note();
        expect((await svc('uninstall', 'faults', '--yes')).code).toBe(0);
      }
      copyFileSync('test/fixtures/faults.yml', spec);
      expect((await svc('install', spec, '--no-wait')).code).toBe(0);
      f.kills += await killUntilComplete(target - f.kills);
      deploys++;
      expect((await svc('plan', 'show', 'deploy')).stdout).toBe(expectedPlan);
      f.leftoverProcesses += extraTaskProcesses(NODES.map((i) => `node-${i}-server`));
      assertEndState('1');
    }
    finish(`${deploys} deploys of 10 pods`, f, instants, doubles);
  }, SCENARIO_MS);

  it('so do rolling updates interrupted many times (updates go on until the instants have landed)', async () => {
    const instants = faultInstants(10);
    const target = instants.target;
    await freshService();
    const f = noFigures();
    let version = 1;
    while (f.kills < target && version < 20) {
      writeFileSync(spec, readFileSync(spec, 'utf8').replace(`VERSION: "${version}"`, `VERSION: "${version + 1}"`));
      version++;
      expect((await svc('update', 'start')).code).toBe(0);
      f.kills += await killUntilComplete(target - f.kills);
      expect((await svc('plan', 'show', 'deploy')).stdout).toBe(expectedPlan);
      f.leftoverProcesses += extraTaskProcesses(NODES.map((i) => `node-${i}-server`));
      await checkVolumes(f, NODES);
      assertEndState(String(version));
    }
    finish(`${version - 1} rolling updates of 10 pods`, f, instants);
  }, SCENARIO_MS);

  it('replaces interrupted many times move only their pod, and lose no other volume (replaces go on until the instants have landed)', async () => {
    const instants = faultInstants(6);
    const target = instants.target;
    await freshService();
    const replacedPods: number[] = [];
    const f = noFigures();
    const order = [3, 5, 1, 6, 2, 4, 0, 7, 9, 8];
    for (let n = 0; f.kills < target && n < 30; n++) {
      const i = order[n % order.length];
      const pod = `node-${i}`;
      const old = reservationOf(pod);
      expect((await svc('pod', 'replace', pod, '--yes')).code).toBe(0);
      const replaced = async () => reservationOf(pod) !== old && (await svc('pod', 'status', pod)).stdout.includes('(RUNNING)') && (await svc('plan', 'show', 'recovery')).stdout.startsWith('recovery (parallel strategy) (COMPLETE)');
      f.kills += await killUntilComplete(Math.min(4, target - f.kills), replaced, 60);
      replacedPods.push(i);
      // a replaced pod starts on a new, empty volume: mark it, so a second replace of it is checked too
      await checkVolumes(f, NODES, [i]);
      expect((await svc('task', 'exec', `${pod}-server`, 'bash', '-c', 'echo canary > data/canary')).code).toBe(0);
      f.leftoverProcesses += extraTaskProcesses(NODES.map((j) => `node-${j}-server`));
      expect(JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8'))).toHaveLength(NODES.length);
    }
    finish(`${replacedPods.length} pod replaces (each pod got a new reservation and an empty volume)`, f, instants);
  }, SCENARIO_MS);

  it('decommissions interrupted many times remove exactly the highest instances (10 → 8 → 6 → 4 → 2, again until the instants have landed)', async () => {
    const instants = faultInstants(4);
    const target = instants.target;
    const f = noFigures();
    const doubles = new Doubles();
    let count = 2;
    let decommissions = 0;
    while (f.kills < target && decommissions < 20) {
      if (count <= 2) {
        if (existsSync(dir)) doubles.note();
        await freshService();
        count = NODES.length;
      }
      const next = count - 2;
      writeFileSync(spec, readFileSync(spec, 'utf8').replace(`count: ${count}`, `count: ${next}`));
      expect((await svc('update', 'start')).code).toBe(0);
      const decommissioned = async () => {
        const pods = JSON.parse((await svc('pod', 'list')).stdout || '[]') as string[];
        // a finished decommission plan stays answerable (COMPLETE) until the next scheduler start
        const plan = await svc('plan', 'show', 'decommission', '--json');
        return pods.length === next && (plan.code !== 0 || JSON.parse(plan.stdout || '{}').status === 'COMPLETE');
      };
      f.kills += await killUntilComplete(Math.min(6, target - f.kills), decommissioned, 60);
      decommissions++;
      const kept = NODES.slice(0, next);
      expect(JSON.parse((await svc('pod', 'list')).stdout)).toEqual(kept.map((i) => `node-${i}`).sort());
      expect(JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8'))).toHaveLength(next);
      f.leftoverProcesses += extraTaskProcesses(kept.map((i) => `node-${i}-server`));
      await checkVolumes(f, kept);
      count = next;
    }
    finish(`${decommissions} decommissions of 2 pods each (exactly the highest instances killed, unreserved and forgotten)`, f, instants, doubles);
  }, SCENARIO_MS);

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
    expect(doubleLaunches(dir)).toEqual([]);
    recordReliability({
      area: 'faults',
      what: `kill -9 of ${landed.tasks} tasks and ${landed.hosts} executor hosts at random instants of a rolling update of 8 pods (seed ${SEED})`,
      runs: landed.tasks + landed.hosts,
      result: 'every task relaunched on its own reservation and on the new config; every volume kept its canary file; no task ran twice at once',
    });
  }, SCENARIO_MS);

  /** Uninstalls while killing the scheduler at random instants; returns the kills that landed. */
  async function uninstallUnderFire(f: KillFigures, doubles: Doubles, earlier: ReadonlySet<number>): Promise<void> {
    doubles.note();
    const uninstall = svc('uninstall', 'faults', '--yes');
    let finished = false;
    void uninstall.then(() => (finished = true));
    while (!finished) {
      await sleep(10 + random() * 40);
      const pid = schedulerPidIfAny(dir);
      if (pid === undefined || !pidAlive(pid) || finished) continue;
      killIfAlive(pid); // the scheduler may exit on its own in between: uninstall is done
      f.kills++;
    }
    expect((await uninstall).code).toBe(0);
    f.leftoverProcesses += processesUnder(t.home).filter((p) => !earlier.has(p.pid)).length;
    expect(readdirSync(t.home).filter((file) => file === 'faults')).toEqual([]);
  }

  it('uninstalls interrupted many times still leave nothing (installs and uninstalls go on until the instants have landed)', async () => {
    const instants = faultInstants(6);
    const target = instants.target;
    const f = noFigures();
    const doubles = new Doubles();
    await freshService(8);
    // what an earlier scenario may have left (its own failure) is not this one's to count
    const earlier = new Set(processesUnder(t.home).filter((p) => !p.cmdline.includes('/faults')).map((p) => p.pid));
    await uninstallUnderFire(f, doubles, earlier);
    let cycles = 1;
    while (f.kills < target && cycles < 30) {
      await freshService(3);
      await uninstallUnderFire(f, doubles, earlier);
      cycles++;
    }
    expect((await svc('uninstall', 'faults', '--yes')).code).toBe(3);
    expect(existsSync(dir)).toBe(false);
    f.doubleLaunches = doubles.count;
    recordKills({ when: 'during', what: `${cycles} uninstalls (no process, reservation or file of the service left)`, seed: SEED, instants, figures: f });
    expectClean(f);
    expect(f.kills).toBeGreaterThanOrEqual(target);
  }, SCENARIO_MS);
});

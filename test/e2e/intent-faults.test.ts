// kill -9 of the scheduler at seeded instants after each operator command — canary proceed, plan
// pause and resume, force-complete, `plan start -p` parameters, pod pause and resume — and, once the
// supervisor has restarted it, the decision still holds: a released canary step stays released, a
// paused plan stays paused, a force-completed step stays complete and never runs, a started plan
// runs with the parameters it was given, a paused pod stays paused. Volumes keep their data and no
// task ever runs twice at once. SVC_FAULT_INSTANTS sets the instants per command (default 3).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, doubleLaunches, expectClean, faultInstants, killScheduler, launchedTasks, noFigures, recordKills, type KillFigures } from './fault-kit.js';
import { prng, processesUnder, runSvc, taskProcesses, tempHome, waitFor } from './helpers.js';

const SEED = 20261201;
const INSTANTS = faultInstants(3);
const N = INSTANTS.target;
const NODES = [0, 1, 2];
const t = tempHome();
const env = { ...t.env, SVC_MAX_RESTART_BACKOFF_MS: '200' };
const svc = (...args: string[]) => runSvc(args, env);
const dir = join(t.home, 'intent');
const specFile = join(t.home, 'intent.yml');
const random = prng(SEED);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A seeded instant after a command: 0–250 ms, so some kills land before its effects, some after. */
const instant = () => sleep(random() * 250);

const spec = (version: number) => `name: intent
pods:
  node:
    count: ${NODES.length}
    volume: { path: data, type: ROOT, size: 16 }
    tasks:
      server:
        goal: RUNNING
        cpus: 0.1
        memory: 16
        env:
          VERSION: "${version}"
        cmd: exec sleep 1000
  once:
    count: 1
    volume: { path: data, type: ROOT, size: 16 }
    tasks:
      run:
        goal: ONCE
        cpus: 0.1
        memory: 16
        cmd: echo "\${RUN:-none}" >> data/runs
  worker:
    count: ${N + 1}
    tasks:
      run:
        goal: ONCE
        cpus: 0.1
        memory: 16
        cmd: exec sleep 1000
plans:
  deploy:
    strategy: serial
    phases:
      node:
        strategy: serial-canary
        pod: node
  param:
    strategy: serial
    phases:
      p:
        strategy: serial
        pod: once
  forced:
    strategy: serial
    phases:
      f:
        strategy: serial
        pod: worker
`;

interface PlanJson {
  status: string;
  phases: Array<{ name: string; steps: Array<{ name: string; status: string }> }>;
}
const plan = async (name: string) => (await api(dir, 'GET', `/v1/plans/${name}`)).body as PlanJson;
const steps = async (name: string) => (await plan(name)).phases.flatMap((ph) => ph.steps);
const command = async (method: string, path: string, body?: unknown) => {
  const r = await api(dir, method, path, body);
  expect([path, r.status], JSON.stringify(r.body)).toEqual([path, 200]);
};
const podState = async (pod: string) => ((await api(dir, 'GET', `/v1/pod/${pod}/status`)).body as { tasks: Array<{ status?: string }> }).tasks[0]?.status;
const canaryOf = async (pod: string) => (await svc('task', 'exec', `${pod}-server`, 'cat', 'data/canary')).stdout;
let version = 1;

/** Waits for every node to run its current config, then checks each volume's canary file. */
async function settledNodes(f: KillFigures): Promise<void> {
  await waitFor('deploy complete', async () => (await plan('deploy')).status === 'COMPLETE', 60_000, 100);
  await waitFor('nodes running', async () => {
    for (const i of NODES) if ((await podState(`node-${i}`)) !== 'RUNNING') return false;
    return true;
  }, 60_000, 100);
  for (const i of NODES) {
    f.volumesChecked++;
    if ((await canaryOf(`node-${i}`)) !== 'canary\n') f.lostVolumes++;
  }
}

/** Records and asserts a command's figures; the journals give the double launches. */
function finish(what: string, f: KillFigures): void {
  f.doubleLaunches = doubleLaunches(dir).length;
  recordKills({ when: 'after', what, seed: SEED, instants: INSTANTS, figures: f });
  expect(f.kills).toBeGreaterThanOrEqual(N);
  expectClean(f);
}

describe(`kill -9 of the scheduler after operator commands (seed ${SEED}, ${N} instants each)`, () => {
  beforeAll(async () => {
    writeFileSync(specFile, spec(version));
    expect((await svc('install', specFile, '--no-wait')).code).toBe(0);
    // the first rollout is a canary too: release it without faults, then mark every volume
    await waitFor('canary waiting', async () => (await plan('deploy')).status === 'WAITING', 30_000, 100);
    for (let k = 0; k < 2; k++) await command('POST', '/v1/plans/deploy/continue?phase=node');
    await settledNodes(noFigures());
    for (const i of NODES) expect((await svc('task', 'exec', `node-${i}-server`, 'sh', '-c', 'echo canary > data/canary')).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    const f = noFigures();
    if (existsSync(dir)) expect((await svc('uninstall', 'intent', '--yes')).code).toBe(0);
    f.leftoverProcesses = processesUnder(dir).length;
    t.cleanup();
    expect(f.leftoverProcesses).toBe(0);
  });

  it('a released canary step stays released; a held one stays held', async () => {
    const f = noFigures();
    while (f.kills < N) {
      version++;
      writeFileSync(specFile, spec(version));
      expect((await svc('update', 'start')).code).toBe(0);
      await waitFor('canary waiting', async () => (await plan('deploy')).status === 'WAITING', 30_000, 100);
      for (let k = 1; k <= 2; k++) {
        await command('POST', '/v1/plans/deploy/continue?phase=node');
        await instant();
        await killScheduler(dir);
        f.kills++;
        const after = await steps('deploy');
        f.decisionsChecked++;
        // released: the first k steps; held: the canary steps after them
        const released = after.slice(0, k).every((s) => s.status !== 'WAITING');
        const held = k === 2 || after[k].status === 'WAITING';
        if (!released || !held) f.lostDecisions++;
      }
      await settledNodes(f);
      for (const p of taskProcesses(dir).filter((p) => p.env.TASK_NAME?.startsWith('node-'))) expect(p.env.VERSION).toBe(String(version));
    }
    finish(`canary releases (\`plan resume deploy node\`) in ${version - 1} rolling updates of 3 pods`, f);
  }, 600_000);

  it('a paused plan stays paused, a resumed one resumed', async () => {
    const f = noFigures();
    if ((await plan('forced')).status === 'WAITING') await command('POST', '/v1/plans/forced/continue');
    if (!(await steps('forced')).some((s) => s.status !== 'PENDING' && s.status !== 'COMPLETE')) await command('POST', '/v1/plans/forced/start');
    for (let i = 0; i < N; i++) {
      const pause = i % 2 === 0;
      await command('POST', `/v1/plans/forced/${pause ? 'interrupt' : 'continue'}`);
      await instant();
      await killScheduler(dir);
      f.kills++;
      f.decisionsChecked++;
      if (((await plan('forced')).status === 'WAITING') !== pause) f.lostDecisions++;
    }
    if ((await plan('forced')).status === 'WAITING') await command('POST', '/v1/plans/forced/continue');
    finish('plan pauses and resumes (`plan pause|resume`) of a plan in progress', f);
  }, 600_000);

  it('a force-completed step stays complete and never runs', async () => {
    const f = noFigures();
    if ((await plan('forced')).status === 'WAITING') await command('POST', '/v1/plans/forced/continue');
    // worker-0 runs (a long ONCE task); the steps after it wait their turn and are forced instead
    await command('POST', '/v1/plans/forced/start');
    await waitFor('worker-0 running', async () => (await podState('worker-0')) === 'RUNNING', 30_000, 100);
    const forced: string[] = [];
    for (let k = 1; k <= N; k++) {
      const step = `worker-${k}:[run]`;
      await command('POST', `/v1/plans/forced/forceComplete?phase=f&step=${encodeURIComponent(step)}`);
      forced.push(step);
      await instant();
      await killScheduler(dir);
      f.kills++;
      const after = await steps('forced');
      for (const s of forced) {
        f.decisionsChecked++;
        if (after.find((x) => x.name === s)?.status !== 'COMPLETE') f.lostDecisions++;
      }
    }
    // let the plan go on: worker-0 is forced last, nothing after it may run
    await command('POST', `/v1/plans/forced/forceComplete?phase=f&step=${encodeURIComponent('worker-0:[run]')}`);
    await waitFor('forced plan complete', async () => (await plan('forced')).status === 'COMPLETE', 30_000, 100);
    const ran = [...launchedTasks(dir)].filter((n) => /^worker-[1-9]\d*-run$/.test(n));
    f.lostDecisions += ran.length;
    expect(ran).toEqual([]);
    finish('force-completes (`plan force-complete`) of waiting steps; none of them ever ran', f);
  }, 600_000);

  it('a plan started with parameters runs with them, once', async () => {
    const f = noFigures();
    const runsFile = () => {
      for (const agent of readdirSync(join(dir, 'agents'))) {
        const file = join(dir, 'agents', agent, 'executors', 'once-0', 'sandboxes', 'once-0-run', 'data', 'runs');
        if (existsSync(file)) return readFileSync(file, 'utf8');
      }
      return '';
    };
    const before = runsFile().split('\n').filter(Boolean);
    for (let i = 0; i < N; i++) {
      await command('POST', '/v1/plans/param/start', { RUN: `run-${i}` });
      await instant();
      await killScheduler(dir);
      f.kills++;
      await waitFor('param plan complete', async () => (await plan('param')).status === 'COMPLETE', 30_000, 100);
      const runs = runsFile().split('\n').filter(Boolean).slice(before.length);
      f.decisionsChecked++;
      // lost: the plan did not run again with this start's parameter; double: it ran with it twice
      if (runs[runs.length - 1] !== `run-${i}`) f.lostDecisions++;
      if (runs.filter((r) => r === `run-${i}`).length > 1) f.doubleLaunches++;
    }
    f.doubleLaunches += doubleLaunches(dir).length;
    recordKills({ when: 'after', what: '`plan start -p` of a plan whose task writes its parameter to its volume', seed: SEED, instants: INSTANTS, figures: f });
    expectClean(f);
  }, 600_000);

  it('a paused pod stays paused, a resumed one resumed, its volume intact', async () => {
    const f = noFigures();
    const paused = new Set<string>();
    for (let i = 0; i < N; i++) {
      const pod = `node-${i % NODES.length}`;
      const pause = !paused.has(pod);
      await command('POST', `/v1/pod/${pod}/${pause ? 'pause' : 'resume'}`);
      if (pause) paused.add(pod);
      else paused.delete(pod);
      await instant();
      await killScheduler(dir);
      f.kills++;
      f.decisionsChecked++;
      const state = await podState(pod);
      if ((state === 'PAUSED' || state === 'PAUSING') !== pause) f.lostDecisions++;
    }
    for (const pod of paused) await command('POST', `/v1/pod/${pod}/resume`);
    await settledNodes(f);
    finish('pod pauses and resumes (`pod pause|resume`)', f);
  }, 600_000);
});

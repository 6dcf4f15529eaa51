// The original's update and recovery semantics (issue 15 items 4-9), in-process with a fake clock:
// steps never adopt a task on an older config, tasks no plan launches are killed, recovery reads
// the stored task state, backoff from the scheduler env, pause as the original's, and the
// decommission plan kept until the next update.
import { describe, expect, it } from 'vitest';
import { planToJson } from '../../src/plan/index.js';
import { PAUSE_COMMAND, stepPaused } from '../../src/scheduler/pause.js';
import { harness, type Harness } from './harness.js';

const task = (name: string, goal: string, cpus: number, cmd = 'exec sleep 1000') => `      ${name}:\n        goal: ${goal}\n        cmd: ${cmd}\n        cpus: ${cpus}\n        memory: 16\n`;

/** hello: two RUNNING tasks in two steps of one pod; world: a RUNNING server with a FINISH task in one step. */
const multistep = (cpus: number) => `name: svc
pods:
  hello:
    count: 1
    tasks:
${task('first', 'RUNNING', cpus)}${task('second', 'RUNNING', cpus)}  world:
    count: 1
    tasks:
${task('server', 'RUNNING', cpus)}${task('finish', 'FINISH', cpus, 'echo done')}plans:
  deploy:
    strategy: serial
    phases:
      hello:
        strategy: serial
        pod: hello
        steps:
          - default: [[first], [second]]
      world:
        strategy: serial
        pod: world
`;

const crashLoop = `name: svc
pods:
  hello:
    count: 1
    tasks:
${task('server', 'RUNNING', 0.1)}`;

/** Lets the FINISH task finish whenever it was (re)launched and runs. */
async function finishOnce(h: Harness): Promise<void> {
  const t = h.store.task('world-0-finish');
  if (t?.status?.state === 'TASK_RUNNING') await h.emit('world-0-finish', 'TASK_FINISHED');
}

/** A new scheduler over the same state and live engine, as `svc update start` restarts it. */
const restart = (prev: Harness, yaml: string, schedulerEnv?: Record<string, string>) =>
  harness(yaml, { store: prev.store, clock: prev.clock, engine: prev.engine, schedulerEnv });

describe('item 4: a step is complete only when its tasks run the target config', () => {
  it('raising cpus relaunches every task of the pod (second step and FINISH task included) with the new config', async () => {
    const first = harness(multistep(0.1));
    await first.start();
    await finishOnce(first);
    expect(first.status()).toBe('COMPLETE');
    first.stop();
    const before = Object.fromEntries(first.store.tasks().map((t) => [t.name, t.taskId]));

    const h = restart(first, multistep(0.2));
    await h.start();
    for (let i = 0; i < 5 && h.status() !== 'COMPLETE'; i++) {
      await finishOnce(h);
      await h.clock.advance(1_000);
    }
    expect(h.status()).toBe('COMPLETE');
    for (const name of ['hello-0-first', 'hello-0-second', 'world-0-server', 'world-0-finish']) {
      expect(h.task(name).taskId, name).not.toBe(before[name]);
      expect(h.task(name).configId, name).toBe(h.scheduler.configId);
    }
    h.stop();
  });

  it('the second step is launched, not taken for done, once the first step runs the new config', async () => {
    const first = harness(multistep(0.1));
    await first.start();
    await finishOnce(first);
    first.stop();
    // the tasks are alive on an engine that reports nothing by itself, so each step waits for its status
    const alive = first.store.tasks().map((t) => ({ taskName: t.name, taskId: t.taskId, podInstance: `${t.podType}-${t.podIndex}` }));
    const h = harness(multistep(0.2), { store: first.store, clock: first.clock, engineOptions: { autoRun: false, alive } });
    expect(h.steps()).toMatchObject({ 'hello-0:[first]': 'PENDING', 'hello-0:[second]': 'PENDING' });
    await h.start();
    expect(h.steps()).toMatchObject({ 'hello-0:[first]': 'STARTING', 'hello-0:[second]': 'PENDING' });
    await h.emit('hello-0-first', 'TASK_RUNNING');
    expect(h.steps()).toMatchObject({ 'hello-0:[first]': 'COMPLETE', 'hello-0:[second]': 'STARTING' });
    expect(h.launchCount('hello-0-second')).toBe(1);
    h.stop();
  });
});

describe('item 4: a launch still unreported at an update', () => {
  it('is followed until it reports, then relaunched on the new config, never taken for done', async () => {
    const first = harness(crashLoop, { engineOptions: { autoRun: false } });
    await first.start();
    first.stop();
    const old = first.task('hello-0-server');
    expect(old.status).toBeUndefined();
    const h = harness(crashLoop.replace('cpus: 0.1', 'cpus: 0.2'), {
      store: first.store,
      clock: first.clock,
      engineOptions: { autoRun: false, alive: [{ taskName: old.name, taskId: old.taskId, podInstance: 'hello-0' }] },
    });
    expect(h.steps()).toEqual({ 'hello-0:[server]': 'STARTING' });
    await h.start();
    await h.emit('hello-0-server', 'TASK_RUNNING', { taskId: old.taskId });
    expect(h.launchCount('hello-0-server')).toBe(1);
    expect(h.task('hello-0-server').configId).toBe(h.scheduler.configId);
    expect(h.steps()).toEqual({ 'hello-0:[server]': 'STARTING' });
    h.stop();
  });
});

/** hello: 3 pods of a server and a sidecar; the sidecar's steps only while ENABLED (the enable-disable pattern). */
const enableDisable = (enabled: boolean) => `name: svc
pods:
  hello:
    count: 3
    tasks:
${task('server', 'RUNNING', 0.1)}${task('sidecar', 'RUNNING', 0.1)}plans:
  deploy:
    strategy: serial
    phases:
      hello:
        strategy: serial
        pod: hello
        steps:
          - default: [[server]${enabled ? ', [sidecar]' : ''}]
`;

describe('item 5: tasks no plan launches any more are stopped', () => {
  it('disabling the sidecars shrinks the deploy plan from 6 to 3 steps and kills the 3 sidecars; their records stay, recovery leaves them', async () => {
    const first = harness(enableDisable(true));
    await first.start();
    expect(Object.keys(first.steps())).toHaveLength(6);
    first.stop();
    const h = restart(first, enableDisable(false));
    expect(Object.keys(h.steps())).toHaveLength(3);
    await h.start();
    await h.clock.advance(5_000);
    expect(h.engine.kills.map((k) => k.taskName).sort()).toEqual(['hello-0-sidecar', 'hello-1-sidecar', 'hello-2-sidecar']);
    for (const i of [0, 1, 2]) {
      expect(h.task(`hello-${i}-sidecar`).status?.state).toBe('TASK_KILLED');
      expect(h.task(`hello-${i}-server`).status?.state).toBe('TASK_RUNNING');
      expect(h.store.pod(`hello-${i}`)).toBeDefined(); // the pod keeps its reservation: its server runs on it
    }
    expect(h.plan('recovery').phases).toEqual([]);
    expect(h.launchCount('hello-0-sidecar')).toBe(1);
    expect(h.status()).toBe('COMPLETE');
    h.stop();
  });
});


describe('item 6: recovery reads the stored task state', () => {
  it('after force-complete of a crash-looping deploy step, recovery relaunches the failed task', async () => {
    const h = harness(crashLoop, { engineOptions: { autoRun: false }, schedulerEnv: { ENABLE_BACKOFF: 'true', FRAMEWORK_INITIAL_BACKOFF: '30' } });
    await h.start();
    await h.emit('hello-0-server', 'TASK_FAILED');
    expect(h.steps()).toEqual({ 'hello-0:[server]': 'DELAYED' });
    expect(h.plan('recovery').phases).toEqual([]);
    const step = h.plan().phases[0].steps[0];
    expect(h.scheduler.planCommand('deploy', { kind: 'forceComplete', phase: 'hello', step: step.name })).toMatchObject({ kind: 'done' });
    await h.clock.advance(31_000); // its backoff over
    expect(h.launchCount('hello-0-server')).toBe(2);
    expect(Object.keys(h.steps('recovery'))).toEqual(['hello-0:[server]']);
    await h.emit('hello-0-server', 'TASK_RUNNING');
    expect(h.status('recovery')).toBe('COMPLETE');
    h.stop();
  });

  it('a pod restart (a relaunch outside the plans) shows in the recovery plan', async () => {
    const h = harness(crashLoop);
    await h.start();
    await h.scheduler.killPod('hello-0', 'restart');
    await h.clock.advance(1_000);
    expect(h.steps('recovery')).toEqual({ 'hello-0:[server]': 'COMPLETE' });
    expect(h.launchCount('hello-0-server')).toBe(2);
    h.stop();
  });
});

const ready = `name: svc
pods:
  hello:
    count: 1
    tasks:
      server:
        goal: RUNNING
        cmd: exec sleep 1000
        cpus: 0.1
        memory: 16
        readiness-check:
          cmd: test -e ready
          interval: 5
          delay: 0
          timeout: 10
`;

describe('item 8: pause as the original', () => {
  it.each([
    { what: 'default', env: {} as Record<string, string>, cmd: PAUSE_COMMAND },
    { what: 'PAUSE_OVERRIDE_CMD', env: { PAUSE_OVERRIDE_CMD: 'exec sleep 99' }, cmd: 'exec sleep 99' },
  ])('the paused task runs the pause command ($what), is never ready, and its steps show PAUSED', async ({ env, cmd }) => {
    const h = harness(ready, { schedulerEnv: env });
    await h.start();
    expect(h.status()).toBe('COMPLETE');
    await h.scheduler.setPaused('hello-0', true);
    await h.clock.advance(1_000);
    const launched = h.engine.launched('hello-0-server');
    expect(launched?.cmd).toBe(cmd);
    expect(launched?.healthCheck).toBeUndefined();
    expect(h.task('hello-0-server')).toMatchObject({ paused: true, launchedPaused: true, status: { state: 'TASK_RUNNING' } });
    // readiness forced to fail: the recovery step that relaunched it never completes
    expect(h.steps('recovery')).toEqual({ 'hello-0:[server]': 'STARTED' });
    const paused = (step: Parameters<typeof stepPaused>[1]) => stepPaused(h.store, step);
    expect(planToJson(h.plan('deploy'), { paused }).phases[0].steps[0].status).toBe('PAUSED');
    expect(planToJson(h.plan('recovery'), { paused }).phases[0].steps[0].status).toBe('PAUSED');
    await h.clock.advance(60_000);
    expect(h.launchCount('hello-0-server')).toBe(2); // recovery does not relaunch a paused task again
    await h.scheduler.setPaused('hello-0', false);
    await h.clock.advance(1_000);
    expect(h.engine.launched('hello-0-server')?.cmd).toBe('exec sleep 1000');
    expect(h.status('recovery')).toBe('COMPLETE');
    h.stop();
  });
});

describe('a config update that changes a pod\'s ports', () => {
  const withPorts = (ports: string) => `name: svc
pods:
  hello:
    count: 1
    tasks:
      server:
        goal: RUNNING
        cmd: exec sleep 1000
        cpus: 0.1
        memory: 16
        ports:
${ports}`;

  it('moves the reservation to the new static port, keeps a dynamic one and its id and volumes, and relaunches with the new env', async () => {
    const first = harness(withPorts('          web: {port: 18080}\n          admin: {port: 0}\n'));
    await first.start();
    expect(first.status()).toBe('COMPLETE');
    first.stop();
    const reservationId = first.store.pod('hello-0')?.reservationId;
    const admin = first.store.pod('hello-0')?.ports.admin;

    const h = restart(first, withPorts('          web: {port: 18081}\n          admin: {port: 0}\n          extra: {port: 18082}\n'));
    await h.start();
    for (let i = 0; i < 5 && h.status() !== 'COMPLETE'; i++) await h.clock.advance(1_000);
    expect(h.status()).toBe('COMPLETE');
    const pod = h.store.pod('hello-0');
    expect(pod?.reservationId).toBe(reservationId); // the same reservation: its volumes stay
    expect(pod?.ports).toEqual({ web: 18081, admin, extra: 18082 });
    expect(h.engine.reservations().find((r) => r.id === reservationId)?.ports.map((p) => p.port).sort()).toEqual([18081, 18082, admin].sort());
    const env = h.engine.launches[h.engine.launches.length - 1].tasks[0].env;
    expect([env.PORT_WEB, env.PORT_EXTRA]).toEqual(['18081', '18082']);
    expect(h.logs.some((l) => l.includes('hello-0: ports now web=18081'))).toBe(true);
    h.stop();
  });

  it('leaves a pod whose ports did not change alone: no new reservation of its ports', async () => {
    const first = harness(withPorts('          web: {port: 18080}\n'));
    await first.start();
    first.stop();
    const h = restart(first, withPorts('          web: {port: 18080}\n').replace('cpus: 0.1', 'cpus: 0.2'));
    await h.start();
    for (let i = 0; i < 5 && h.status() !== 'COMPLETE'; i++) await h.clock.advance(1_000);
    expect(h.status()).toBe('COMPLETE');
    expect(h.logs.some((l) => l.includes('ports now'))).toBe(false);
    h.stop();
  });
});

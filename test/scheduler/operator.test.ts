// Operator actions, in-process with a fake clock: restart, replace, pause/resume, decommission,
// uninstall, plan interrupts; and an engine whose kill() rejects never crashes the scheduler.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAUSE_COMMAND } from '../../src/scheduler/pause.js';
import { harness, serverTask, serviceYaml } from './harness.js';

const hello = (count = 1, extra?: string) => serviceYaml([{ name: 'hello', count, tasks: serverTask(), extra }]);

describe('scheduler: restart and replace', () => {
  it.each([
    { mode: 'restart' as const, sameReservation: true },
    { mode: 'replace' as const, sameReservation: false },
  ])('$mode relaunches the pod, on its reservation: $sameReservation', async ({ mode, sameReservation }) => {
    const h = harness(hello(2));
    await h.start();
    const before = h.store.pod('hello-0');
    expect(await h.scheduler.killPod('hello-0', mode)).toEqual(['hello-0-server']);
    await h.clock.advance(1_000);
    expect(h.launchCount('hello-0-server')).toBe(2);
    expect(h.launchCount('hello-1-server')).toBe(1);
    const after = h.store.pod('hello-0');
    expect(after?.reservationId === before?.reservationId).toBe(sameReservation);
    expect(h.engine.reservations().some((r) => r.id === before?.reservationId)).toBe(sameReservation);
    if (!sameReservation) expect(after?.agentId).not.toBe(before?.agentId); // a replaced pod avoids its old agent
    expect(h.task('hello-0-server')).toMatchObject({ failures: 0, status: { state: 'TASK_RUNNING' } });
    expect(h.task('hello-0-server').permanentlyFailed).toBeFalsy();
    h.stop();
  });

  it('a restart during a launch backoff relaunches at once', async () => {
    const h = harness(hello(), { schedulerEnv: { ENABLE_BACKOFF: 'true', FRAMEWORK_INITIAL_BACKOFF: '1', FRAMEWORK_BACKOFF_FACTOR: '2' } });
    await h.start();
    for (let i = 0; i < 5; i++) {
      await h.emit('hello-0-server', 'TASK_FAILED');
      await h.clock.advance(10_000);
    }
    await h.emit('hello-0-server', 'TASK_FAILED');
    expect(Object.values(h.steps('recovery'))).toEqual(['DELAYED']);
    const launches = h.launchCount('hello-0-server');
    await h.scheduler.killPod('hello-0', 'restart');
    await h.clock.advance(500);
    expect(h.launchCount('hello-0-server')).toBe(launches + 1);
    h.stop();
  });

  it.each(['nope-0', 'hello', 'hello-1', 'hello-0-server', ''])('an unknown pod instance %j is answered undefined, nothing killed', async (name) => {
    const h = harness(hello());
    await h.start();
    expect(await h.scheduler.killPod(name, 'restart')).toBeUndefined();
    expect(await h.scheduler.setPaused(name, true)).toBeUndefined();
    expect(h.engine.kills).toEqual([]);
    h.stop();
  });

  it('a pod type that prefixes another is never confused with it (hello, hello-world)', async () => {
    const h = harness(serviceYaml([
      { name: 'hello', count: 1, tasks: serverTask() },
      { name: 'hello-world', count: 1, tasks: serverTask() },
    ]));
    await h.start();
    expect(await h.scheduler.killPod('hello-0', 'restart')).toEqual(['hello-0-server']);
    expect(await h.scheduler.killPod('hello-world-0', 'restart')).toEqual(['hello-world-0-server']);
    expect(h.engine.kills.map((k) => `${k.podInstance}/${k.taskName}`)).toEqual(['hello-0/hello-0-server', 'hello-world-0/hello-world-0-server']);
    h.stop();
  });
});

describe('scheduler: pause and resume', () => {
  it('a paused task is relaunched sleeping, without checks; resumed, it runs its command again', async () => {
    const h = harness(hello());
    await h.start();
    expect(await h.scheduler.setPaused('hello-0', true)).toEqual(['hello-0-server']);
    await h.clock.advance(1_000);
    expect(h.engine.launched('hello-0-server')?.cmd).toBe(PAUSE_COMMAND);
    expect(h.task('hello-0-server')).toMatchObject({ paused: true, launchedPaused: true, status: { state: 'TASK_RUNNING' } });
    expect(await h.scheduler.setPaused('hello-0', false)).toEqual(['hello-0-server']);
    await h.clock.advance(1_000);
    expect(h.engine.launched('hello-0-server')?.cmd).toBe('exec sleep 1000');
    expect(h.task('hello-0-server')).toMatchObject({ paused: false, launchedPaused: false, status: { state: 'TASK_RUNNING' } });
    h.stop();
  });

  it('pausing a task the pod does not have is refused, nothing killed', async () => {
    const h = harness(hello());
    await h.start();
    expect(await h.scheduler.setPaused('hello-0', true, ['server', 'nope'])).toBeUndefined();
    expect(h.engine.kills).toEqual([]);
    h.stop();
  });
});

describe('scheduler: decommission', () => {
  it('a lowered count kills, releases and forgets the highest instances, one after another', async () => {
    const first = harness(hello(3, 'allow-decommission: true'));
    await first.start();
    first.stop();
    const h = harness(hello(1, 'allow-decommission: true'), { store: first.store, clock: first.clock, engine: first.engine });
    expect(h.scheduler.planNames()).toEqual(['deploy', 'recovery', 'decommission']);
    expect(h.plan('decommission').phases.map((p) => p.name)).toEqual(['hello-2', 'hello-1']);
    await h.start();
    await h.clock.advance(10_000); // one action step per pass, passes on the loop's tick
    expect(h.engine.stoppedPods).toEqual(['hello-2', 'hello-2', 'hello-1', 'hello-1']);
    expect(h.store.pods().map((p) => p.name)).toEqual(['hello-0']);
    expect(h.store.tasks().map((t) => t.name)).toEqual(['hello-0-server']);
    expect(h.engine.reservations().map((r) => r.podInstance)).toEqual(['hello-0']);
    // the finished plan stays answerable until the next update (a new target: a new scheduler)
    expect(h.scheduler.planNames()).toEqual(['deploy', 'recovery', 'decommission']);
    expect(h.status('decommission')).toBe('COMPLETE');
    h.stop();
    const next = harness(hello(1, 'allow-decommission: true'), { store: h.store, clock: h.clock, engine: h.engine });
    expect(next.scheduler.planNames()).toEqual(['deploy', 'recovery']);
    next.stop();
  });
});

describe('scheduler: uninstall', () => {
  it('kills, releases and wipes everything, then says so', async () => {
    const h = harness(hello(2));
    await h.start();
    let done = false;
    const u = harness(hello(2), { store: h.store, clock: h.clock, engine: h.engine });
    h.stop();
    u.scheduler.startUninstall();
    expect(u.scheduler.planNames()).toEqual(['deploy']);
    await u.start();
    await u.clock.advance(10_000);
    done = u.logs.includes('uninstall complete');
    expect(done).toBe(true);
    expect(u.engine.reservations()).toEqual([]);
    expect(u.store.tasks()).toEqual([]);
    u.stop();
  });
});

describe('scheduler: plan interrupt and continue', () => {
  it('an interrupted serial deploy launches nothing more until continued', async () => {
    const h = harness(hello(3).replace('name: svc', 'name: svc') + 'plans:\n  deploy:\n    strategy: serial\n    phases:\n      hello:\n        strategy: serial\n        pod: hello\n', {
      engineOptions: { autoRun: false },
    });
    await h.start();
    expect(h.engine.launches).toHaveLength(1);
    expect(h.scheduler.planCommand('deploy', { kind: 'interrupt' })).toMatchObject({ kind: 'done' });
    await h.emit('hello-0-server', 'TASK_RUNNING');
    await h.clock.advance(5_000);
    expect(h.engine.launches).toHaveLength(1);
    expect(h.scheduler.planCommand('deploy', { kind: 'continue' })).toMatchObject({ kind: 'done' });
    await h.clock.settle();
    expect(h.engine.launches).toHaveLength(2);
    h.stop();
  });
});

describe('scheduler: an engine whose kill() rejects', () => {
  const seen: unknown[] = [];
  const onUnhandled = (e: unknown) => seen.push(e);
  beforeEach(() => {
    seen.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('an essential failure whose kill of the other tasks fails is logged, never an unhandled rejection', async () => {
    const h = harness(serviceYaml([{ name: 'pod', count: 1, tasks: `${serverTask()}sidecar:\n  goal: RUNNING\n  cmd: exec sleep 1000\n  cpus: 0.1\n  memory: 16` }]));
    await h.start();
    h.engine.killFails = 'executor unreachable';
    await h.emit('pod-0-server', 'TASK_FAILED');
    await h.clock.advance(1_000);
    expect(seen).toEqual([]);
    expect(h.logs.join('\n')).toContain('restart of the pod of pod-0-server failed: executor unreachable');
    h.stop();
  });

  it('a replace (permanent-failure timeout) whose kill fails is logged, and the pod is replaced once the engine answers', async () => {
    const h = harness(hello(), { permanentFailureTimeoutMs: 10_000 });
    await h.start();
    const first = h.store.pod('hello-0')?.reservationId;
    h.engine.killFails = 'executor unreachable';
    for (let t = 0; t < 15_000; t += 5_000) {
      await h.emit('hello-0-server', 'TASK_FAILED');
      await h.clock.advance(5_000);
    }
    expect(seen).toEqual([]);
    expect(h.logs.join('\n')).toContain('replace of hello-0 failed: executor unreachable');
    expect(h.logs.join('\n')).not.toContain('plan pass failed');
    h.engine.killFails = undefined;
    await h.clock.advance(15_000);
    expect(h.store.pod('hello-0')?.reservationId).not.toBe(first);
    expect(h.task('hello-0-server').status?.state).toBe('TASK_RUNNING');
    h.stop();
  });
});

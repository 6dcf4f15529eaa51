// Recovery, in-process with a fake clock: launch backoff, essential and non-essential failures,
// lost tasks, and the permanent-failure timeout. Minutes of scheduler time run in milliseconds.
import { describe, expect, it } from 'vitest';
import { harness, serverTask, serviceYaml } from './harness.js';

const hello = (count = 1) => serviceYaml([{ name: 'hello', count, tasks: serverTask() }]);

/** Two RUNNING tasks in one pod; `sidecar` essential or not. */
const pair = (essential: boolean) =>
  serviceYaml([{ name: 'pod', count: 1, tasks: `${serverTask()}sidecar:\n  goal: RUNNING\n  essential: ${essential}\n  cmd: exec sleep 1000\n  cpus: 0.1\n  memory: 16` }]);

/** Backoff on: 1 s after the first failure, doubling, capped at 60 s. */
const BACKOFF = { ENABLE_BACKOFF: 'true', FRAMEWORK_INITIAL_BACKOFF: '1', FRAMEWORK_BACKOFF_FACTOR: '2', FRAMEWORK_MAX_LAUNCH_DELAY: '60' };

describe('scheduler: recovery without backoff (the default, as the original)', () => {
  it('a crash-looping task is relaunched at once after every failure', async () => {
    const h = harness(hello());
    await h.start();
    const started = h.clock.now();
    for (let i = 1; i <= 7; i++) {
      await h.emit('hello-0-server', 'TASK_FAILED');
      await h.clock.settle();
      expect(h.launchCount('hello-0-server')).toBe(i + 1);
    }
    expect(h.task('hello-0-server').failures).toBe(7);
    expect(h.clock.now() - started).toBeLessThan(1_000); // seven relaunches took no scheduler time
    h.stop();
  });

  it('ENABLE_BACKOFF alone: the original defaults, 60 s after the first failure', async () => {
    const h = harness(hello(), { schedulerEnv: { ENABLE_BACKOFF: 'true' } });
    await h.start();
    await h.emit('hello-0-server', 'TASK_FAILED');
    await h.clock.advance(59_000);
    expect(h.launchCount('hello-0-server')).toBe(1);
    await h.clock.advance(2_000);
    expect(h.launchCount('hello-0-server')).toBe(2);
    h.stop();
  });
});

describe('scheduler: recovery with backoff enabled from the scheduler env', () => {
  // consecutive failures → how long recovery waits before relaunching (initial, × factor, capped)
  it.each([
    { failures: 1, waitMs: 1_000 },
    { failures: 2, waitMs: 2_000 },
    { failures: 3, waitMs: 4_000 },
    { failures: 4, waitMs: 8_000 },
    { failures: 8, waitMs: 60_000 },
  ])('after $failures consecutive failure(s) it relaunches after $waitMs ms', async ({ failures, waitMs }) => {
    const h = harness(hello(), { schedulerEnv: BACKOFF });
    await h.start();
    for (let i = 1; i < failures; i++) {
      await h.emit('hello-0-server', 'TASK_FAILED');
      await h.clock.advance(60_000);
      expect(h.launchCount('hello-0-server')).toBe(i + 1);
    }
    const launches = h.launchCount('hello-0-server');
    await h.emit('hello-0-server', 'TASK_FAILED');
    expect(h.task('hello-0-server').failures).toBe(failures);
    expect(Object.values(h.steps('recovery'))).toEqual(['DELAYED']);
    await h.clock.advance(waitMs - 1);
    expect(h.launchCount('hello-0-server')).toBe(launches);
    await h.clock.advance(1_000); // the next tick of the plan loop after the backoff
    expect(h.launchCount('hello-0-server')).toBe(launches + 1);
    expect(h.task('hello-0-server').status?.state).toBe('TASK_RUNNING');
    expect(Object.values(h.steps('recovery'))).toEqual(['COMPLETE']);
    h.stop();
  });

  it('a task that ran a minute before failing starts its backoff afresh', async () => {
    const h = harness(hello(), { schedulerEnv: BACKOFF });
    await h.start();
    await h.emit('hello-0-server', 'TASK_FAILED');
    await h.clock.advance(1_000);
    await h.emit('hello-0-server', 'TASK_FAILED');
    expect(h.task('hello-0-server').failures).toBe(2);
    await h.clock.advance(2_000);
    await h.clock.advance(61_000);
    await h.emit('hello-0-server', 'TASK_FAILED');
    expect(h.task('hello-0-server').failures).toBe(1);
    h.stop();
  });

  it('a lost task is relaunched in place, on its reservation', async () => {
    const h = harness(hello());
    await h.start();
    const reservation = h.store.pod('hello-0')?.reservationId;
    await h.emit('hello-0-server', 'TASK_LOST');
    await h.clock.advance(1_000);
    expect(h.launchCount('hello-0-server')).toBe(2);
    expect(h.engine.launches[1].reservationId).toBe(reservation);
    h.stop();
  });

  it('a finished RUNNING-goal task is relaunched; a stale status of an older incarnation is ignored', async () => {
    const h = harness(hello());
    await h.start();
    const old = h.task('hello-0-server').taskId;
    await h.emit('hello-0-server', 'TASK_FINISHED');
    await h.clock.advance(1_000);
    expect(h.launchCount('hello-0-server')).toBe(2);
    await h.emit('hello-0-server', 'TASK_FAILED', { taskId: old });
    expect(h.task('hello-0-server').status?.state).toBe('TASK_RUNNING');
    h.stop();
  });
});

describe('scheduler: essential and non-essential failure', () => {
  it.each([
    { essential: true, failing: 'pod-0-sidecar', killed: ['pod-0-server'], relaunched: ['pod-0-server', 'pod-0-sidecar'] },
    { essential: false, failing: 'pod-0-sidecar', killed: [], relaunched: ['pod-0-sidecar'] },
    { essential: false, failing: 'pod-0-server', killed: ['pod-0-sidecar'], relaunched: ['pod-0-server', 'pod-0-sidecar'] },
  ])('sidecar essential=$essential, $failing fails: kills $killed, relaunches $relaunched', async ({ essential, failing, killed, relaunched }) => {
    const h = harness(pair(essential));
    await h.start();
    expect(h.status()).toBe('COMPLETE');
    await h.emit(failing, 'TASK_FAILED');
    expect(h.engine.kills.map((k) => k.taskName)).toEqual(killed);
    await h.clock.advance(1_000);
    expect(h.engine.launches.slice(1).flatMap((l) => l.tasks.map((t) => t.name)).sort()).toEqual(relaunched);
    for (const t of ['pod-0-server', 'pod-0-sidecar']) expect(h.task(t).status?.state).toBe('TASK_RUNNING');
    h.stop();
  });
});

describe('scheduler: permanent failure timeout', () => {
  it.each([
    { timeoutMs: undefined, replaced: false },
    { timeoutMs: 30_000, replaced: true },
  ])('a pod whose task keeps crashing for 40 s is replaced on fresh resources: $replaced (timeout $timeoutMs)', async ({ timeoutMs, replaced }) => {
    const h = harness(hello(), { permanentFailureTimeoutMs: timeoutMs });
    await h.start();
    const first = h.store.pod('hello-0')?.reservationId;
    for (let t = 0; t < 40_000; t += 5_000) {
      await h.emit('hello-0-server', 'TASK_FAILED');
      await h.clock.advance(5_000);
    }
    const now = h.store.pod('hello-0')?.reservationId;
    expect(now !== first).toBe(replaced);
    expect(h.engine.reservations().some((r) => r.id === first)).toBe(!replaced);
    if (replaced) expect(h.logs.join('\n')).toMatch(/hello-0-server has been failing for \d+ s: replacing hello-0/);
    h.stop();
  });
});

// Operator decisions on plans survive a scheduler restart: a new Scheduler over the same state store
// sees each interrupt, force-complete, start parameter and canary release as the old one left it.
import { describe, expect, it } from 'vitest';
import { harness, serverTask, serviceYaml, type Harness } from './harness.js';

const deployPlan = (strategy: string) => `plans:\n  deploy:\n    strategy: serial\n    phases:\n      hello:\n        strategy: ${strategy}\n        pod: hello\n`;
const hello = (count: number, strategy = 'serial', version = '1') => serviceYaml([{ name: 'hello', count, tasks: serverTask(version) }]) + deployPlan(strategy);

/** The same service restarted over the state the first one left; the executors it launched live on. */
function restart(h: Harness, yaml: string): Harness {
  h.stop();
  const alive = h.store.tasks().map((t) => ({ taskName: t.name, taskId: t.taskId, podInstance: `hello-${t.podIndex}` }));
  return harness(yaml, { store: h.store, clock: h.clock, engineOptions: { alive } });
}

describe('scheduler: operator intent survives a restart', () => {
  it('an interrupted deploy stays interrupted and launches nothing more', async () => {
    const h = harness(hello(3), { engineOptions: { autoRun: false } });
    await h.start();
    expect(h.scheduler.planCommand('deploy', { kind: 'interrupt' })).toMatchObject({ kind: 'done' });
    await h.emit('hello-0-server', 'TASK_RUNNING');
    const r = restart(h, hello(3));
    expect(r.plan().interrupted).toBe(true);
    await r.start();
    await r.clock.advance(5_000);
    expect(r.engine.launches).toHaveLength(0);
    expect(r.steps()).toEqual({ 'hello-0:[server]': 'COMPLETE', 'hello-1:[server]': 'PENDING', 'hello-2:[server]': 'PENDING' });
    expect(r.scheduler.planCommand('deploy', { kind: 'continue' })).toMatchObject({ kind: 'done' });
    await r.clock.advance(1_000);
    expect(r.status()).toBe('COMPLETE');
    r.stop();
  });

  it('an interrupted phase stays interrupted', async () => {
    const h = harness(hello(2), { engineOptions: { autoRun: false } });
    await h.start();
    h.scheduler.planCommand('deploy', { kind: 'interrupt', phase: 'hello' });
    const r = restart(h, hello(2));
    expect(r.plan().phases[0].interrupted).toBe(true);
    r.stop();
  });

  it('a force-completed step is not run again; restarting it undoes that', async () => {
    const h = harness(hello(2), { engineOptions: { autoRun: false } });
    await h.start();
    expect(h.scheduler.planCommand('deploy', { kind: 'forceComplete', phase: 'hello', step: 'hello-1:[server]' })).toMatchObject({ kind: 'done' });
    const r = restart(h, hello(2));
    expect(r.steps()).toMatchObject({ 'hello-1:[server]': 'COMPLETE' });
    await r.start();
    await r.clock.advance(2_000);
    expect(r.launchCount('hello-1-server')).toBe(0);
    expect(r.scheduler.planCommand('deploy', { kind: 'restart', phase: 'hello', step: 'hello-1:[server]' })).toMatchObject({ kind: 'done' });
    const again = restart(r, hello(2));
    expect(again.steps()).toMatchObject({ 'hello-1:[server]': 'PENDING' });
    again.stop();
  });

  it('start parameters stay with the plan and reach the tasks launched after the restart', async () => {
    const h = harness(hello(2), { engineOptions: { autoRun: false } });
    await h.start();
    h.scheduler.planCommand('deploy', { kind: 'interrupt' });
    expect(h.scheduler.planCommand('deploy', { kind: 'start', parameters: { COLOR: 'blue' } })).toMatchObject({ kind: 'done' });
    h.scheduler.planCommand('deploy', { kind: 'interrupt' });
    await h.emit('hello-0-server', 'TASK_RUNNING');
    const r = restart(h, hello(2));
    expect(r.plan().parameters).toEqual({ COLOR: 'blue' });
    expect(r.plan().interrupted).toBe(true);
    await r.start();
    r.scheduler.planCommand('deploy', { kind: 'continue' });
    await r.clock.advance(1_000);
    expect(r.engine.launches.map((l) => l.podInstance)).toEqual(['hello-1']);
    expect(r.engine.launched('hello-1-server')?.env.COLOR).toBe('blue');
    r.stop();
  });

  it('a canary release is kept: the next continue releases the second canary step, not the first again', async () => {
    const h = harness(hello(4, 'serial-canary'));
    await h.start();
    expect(h.engine.launches).toHaveLength(0);
    h.scheduler.planCommand('deploy', { kind: 'continue', phase: 'hello' });
    await h.clock.advance(1_000);
    expect(h.engine.launches.map((l) => l.podInstance)).toEqual(['hello-0']);
    const r = restart(h, hello(4, 'serial-canary'));
    await r.start();
    await r.clock.advance(2_000);
    expect(r.engine.launches).toHaveLength(0); // hello-1 is still held
    r.scheduler.planCommand('deploy', { kind: 'continue', phase: 'hello' });
    await r.clock.advance(1_000);
    expect(r.engine.launches.map((l) => l.podInstance)).toEqual(['hello-1', 'hello-2', 'hello-3']);
    expect(r.status()).toBe('COMPLETE');
    r.stop();
  });

  it('across a config update: interrupts hold, force-completes of the old config do not', async () => {
    const h = harness(hello(2), { engineOptions: { autoRun: false } });
    await h.start();
    h.scheduler.planCommand('deploy', { kind: 'forceComplete', phase: 'hello', step: 'hello-1:[server]' });
    h.scheduler.planCommand('deploy', { kind: 'interrupt' });
    const r = restart(h, hello(2, 'serial', '2'));
    expect(r.plan().interrupted).toBe(true);
    expect(r.steps()).toMatchObject({ 'hello-1:[server]': 'PENDING' });
    r.stop();
  });

  it('a plan started again just before the scheduler dies still runs, with its new parameters', async () => {
    const once = 'run:\n  goal: ONCE\n  cmd: echo hi\n  cpus: 0.1\n  memory: 16\n';
    const sidecar = 'plans:\n  deploy:\n    strategy: serial\n    phases:\n      hello:\n        strategy: serial\n        pod: hello\n  param:\n    strategy: serial\n    phases:\n      p:\n        strategy: serial\n        pod: hello\n';
    const yaml = serviceYaml([{ name: 'hello', count: 1, tasks: once }]) + sidecar;
    const h = harness(yaml);
    await h.start();
    await h.emit('hello-0-run', 'TASK_FINISHED');
    h.scheduler.planCommand('param', { kind: 'start', parameters: {} });
    await h.clock.settle();
    await h.emit('hello-0-run', 'TASK_FINISHED');
    expect(h.status('param')).toBe('COMPLETE');
    // started again; the scheduler dies before its loop launched anything: the old task is FINISHED
    h.scheduler.planCommand('param', { kind: 'start', parameters: { RUN: 'x' } });
    h.stop();
    const r = harness(yaml, { store: h.store, clock: h.clock, engineOptions: {} });
    expect(r.status('param')).toBe('PENDING');
    await r.start();
    await r.clock.advance(2_000);
    expect(r.engine.launches.flatMap((l) => l.tasks.map((t) => t.env.RUN))).toEqual(['x']);
    // once relaunched, the restart is spent: another scheduler start does not run it a third time
    await r.emit('hello-0-run', 'TASK_FINISHED');
    expect(r.status('param')).toBe('COMPLETE');
    r.stop();
    const again = harness(yaml, { store: r.store, clock: r.clock, engineOptions: {} });
    expect(again.status('param')).toBe('COMPLETE');
    again.stop();
  });

  it('a state property that is no plan intent is refused by name', () => {
    const h = harness(hello(1));
    h.store.setProperty('plan-intent-deploy', '{"nope":1}');
    h.stop();
    expect(() => harness(hello(1), { store: h.store })).toThrow(/state property plan-intent-deploy is not a plan intent/);
  });
});

// Deploy, reconcile at start-up, and update of a running config, in-process with a fake clock.
import { describe, expect, it } from 'vitest';
import { harness, serverTask, serviceYaml } from './harness.js';

const hello = (count: number, version = '1', extra?: string) => serviceYaml([{ name: 'hello', count, tasks: serverTask(version), extra }]);

describe('scheduler: deploy', () => {
  it('launches every pod once and completes the deploy plan', async () => {
    const h = harness(hello(3));
    await h.start();
    expect(h.status()).toBe('COMPLETE');
    expect(h.engine.launches.map((l) => l.podInstance).sort()).toEqual(['hello-0', 'hello-1', 'hello-2']);
    expect(h.store.property('deployment-completed')).toBe('true');
    h.stop();
  });

  it('keeps a step PREPARED with the reason while no agent fits, and places it once one does', async () => {
    const h = harness(serviceYaml([{ name: 'big', count: 1, tasks: 'server:\n  goal: RUNNING\n  cmd: exec sleep 1000\n  cpus: 5\n  memory: 16' }]), {
      engineOptions: { agents: [{ id: 'a1', hostname: 'a1', ip: '127.0.0.2', zone: 'z', region: 'r', resources: { cpus: 4, mem: 1024, disk: 1024, portRanges: [] } }] },
    });
    await h.start();
    expect(h.steps()).toEqual({ 'big-0:[server]': 'PREPARED' });
    expect(h.logs.join('\n')).toContain('insufficient cpus: 4 free, 5 needed');
    await h.clock.advance(5_000);
    expect(h.engine.launches).toHaveLength(0);
    h.stop();
  });
});

describe('scheduler: reconcile at start', () => {
  it('a restarted scheduler adopts live tasks, and relaunches those the engine reports lost', async () => {
    const first = harness(hello(2));
    await first.start();
    first.stop();
    const live = first.task('hello-0-server');
    const lost = first.task('hello-1-server');
    // a new engine that still has hello-0's executor but not hello-1's
    const h = harness(hello(2), {
      store: first.store,
      clock: first.clock,
      engineOptions: { alive: [{ taskName: live.name, taskId: live.taskId, podInstance: 'hello-0' }] },
    });
    expect(h.status()).toBe('COMPLETE');
    await h.start();
    expect(h.engine.reconciled[0].map((e) => e.taskId).sort()).toEqual([live.taskId, lost.taskId].sort());
    expect(h.launchCount('hello-0-server')).toBe(0);
    expect(h.launchCount('hello-1-server')).toBe(1);
    expect(h.task('hello-1-server').status?.state).toBe('TASK_RUNNING');
    expect(h.steps('recovery')).toEqual({ 'hello-1:[server]': 'COMPLETE' });
    h.stop();
  });
});

describe('scheduler: agents lost while the scheduler was down', () => {
  it.each([{ killFails: false }, { killFails: true }])('their pods are placed anew on the agents left (kill fails: $killFails)', async ({ killFails }) => {
    const first = harness(hello(3));
    await first.start();
    first.stop();
    const gone = first.store.pod('hello-0')?.agentId;
    const left = first.engine.agents().filter((a) => a.id !== gone);
    const h = harness(hello(3), {
      store: first.store,
      clock: first.clock,
      // the executors of the agents left are alive; the gone agent's tasks are reported lost
      engineOptions: { agents: left, alive: first.store.tasks().filter((t) => t.agentId !== gone).map((t) => ({ taskName: t.name, taskId: t.taskId, podInstance: `hello-${t.podIndex}` })) },
    });
    if (killFails) h.engine.killFails = 'agent unreachable';
    await h.start();
    expect(h.logs).toContain(`agent ${gone} of hello-0 is gone: replacing hello-0`);
    if (killFails) expect(h.logs).toContain('replace of hello-0 failed: agent unreachable');
    await h.clock.advance(1_000);
    expect(left.map((a) => a.id)).toContain(h.store.pod('hello-0')?.agentId);
    expect(h.task('hello-0-server').status?.state).toBe('TASK_RUNNING');
    h.stop();
  });
});

describe('scheduler: update of a running config', () => {
  it.each([
    { what: 'a changed env relaunches every pod with the new config', next: hello(2, '2'), relaunched: 2, plan: 'COMPLETE' },
    { what: 'an unchanged pod spec relaunches nothing', next: hello(2, '1'), relaunched: 0, plan: 'COMPLETE' },
    { what: 'a count raised launches only the new pod', next: hello(3, '1'), relaunched: 1, plan: 'COMPLETE' },
  ])('$what', async ({ next, relaunched }) => {
    const first = harness(hello(2));
    await first.start();
    first.stop();
    const before = first.engine.launches.length;
    expect(before).toBe(2);
    const h = harness(next, {
      store: first.store,
      clock: first.clock,
      engineOptions: { alive: first.store.tasks().map((t) => ({ taskName: t.name, taskId: t.taskId, podInstance: `hello-${t.podIndex}` })) },
    });
    await h.start();
    expect(h.status()).toBe('COMPLETE');
    expect(h.engine.launches).toHaveLength(relaunched);
    expect(new Set(h.store.tasks().map((t) => t.configId))).toEqual(new Set([h.scheduler.configId]));
    h.stop();
  });

  it('a refused update keeps the old target and shows why on the deploy plan', async () => {
    const first = harness(hello(2));
    await first.start();
    first.stop();
    const h = harness(hello(1), { store: first.store, clock: first.clock });
    expect(h.plan().errors.join('\n')).toMatch(/cannot shrink from 2 to 1 without allow-decommission/);
    expect(h.scheduler.plan('decommission')).toBeUndefined();
    h.stop();
  });
});

// Accepted configurations are collected when a scheduler starts (which every update does): only the
// target and the configs a task still names are kept, and GET /v1/configurations lists exactly those.
import { describe, expect, it } from 'vitest';
import { ApiServer } from '../../src/api/server.js';
import { harness, serverTask, serviceYaml, type Harness } from './harness.js';

const deployPlan = `plans:\n  deploy:\n    strategy: serial\n    phases:\n      hello:\n        strategy: serial\n        pod: hello\n`;
const hello = (version: number) => serviceYaml([{ name: 'hello', count: 3, tasks: serverTask(String(version)) }]) + deployPlan;

function restart(h: Harness, yaml: string, autoRun = true): Harness {
  h.stop();
  const alive = h.store.tasks().map((t) => ({ taskName: t.name, taskId: t.taskId, podInstance: `hello-${t.podIndex}` }));
  return harness(yaml, { store: h.store, clock: h.clock, engineOptions: { alive, autoRun } });
}

const referenced = (h: Harness) => new Set([h.scheduler.configId, ...h.store.tasks().map((t) => t.configId)]);

async function listedByApi(h: Harness): Promise<string[]> {
  const api = new ApiServer({ scheduler: h.scheduler, token: 't' });
  const url = await api.listen();
  try {
    return (await (await fetch(`${url}/v1/configurations`, { headers: { authorization: 'token=t' } })).json()) as string[];
  } finally {
    await api.close();
  }
}

describe('accepted configurations are collected', () => {
  it('after many completed updates only the target is kept', async () => {
    let h = harness(hello(1));
    await h.start();
    for (let v = 2; v <= 8; v++) {
      h = restart(h, hello(v));
      await h.start();
      await h.clock.advance(1_000);
      expect(h.status()).toBe('COMPLETE');
    }
    h = restart(h, hello(8)); // the next start collects what the last update left behind
    await h.start();
    expect(h.store.configIds()).toEqual([h.scheduler.configId]);
    expect(await listedByApi(h)).toEqual([h.scheduler.configId]);
    h.stop();
  });

  it('a config a task still runs under is kept until no task names it', async () => {
    let h = harness(hello(1));
    await h.start();
    const first = h.scheduler.configId;
    // updates that launch nothing: every task stays on the first config while targets come and go
    for (let v = 2; v <= 5; v++) {
      h = restart(h, hello(v), false);
      h.scheduler.planCommand('deploy', { kind: 'interrupt' });
      await h.start();
    }
    const ids = h.store.configIds().sort();
    expect(ids).toEqual([...referenced(h)].sort());
    expect(ids).toEqual([first, h.scheduler.configId].sort());
    expect((await listedByApi(h)).sort()).toEqual(ids);
    // the update completes: the first config loses its last task and goes at the next start
    h.scheduler.planCommand('deploy', { kind: 'continue' });
    await h.clock.settle(); // the loop launches the first step before its tasks report
    for (const t of h.store.tasks()) await h.emit(t.name, 'TASK_RUNNING');
    h = restart(h, hello(5));
    await h.start();
    await h.clock.advance(1_000);
    expect(h.status()).toBe('COMPLETE');
    h = restart(h, hello(5));
    await h.start();
    expect(h.store.configIds()).toEqual([h.scheduler.configId]);
    h.stop();
  });

  it('a rejected candidate keeps the old target and still collects', async () => {
    let h = harness(hello(1));
    await h.start();
    h = restart(h, hello(2));
    await h.start();
    await h.clock.advance(1_000);
    const target = h.scheduler.configId;
    // a pod type may not disappear without allow-decommission: the candidate is rejected
    h = restart(h, serviceYaml([{ name: 'other', count: 1, tasks: serverTask('3') }]));
    await h.start();
    expect(h.scheduler.configId).toBe(target);
    expect(h.store.configIds()).toEqual([target]);
    h.stop();
  });
});

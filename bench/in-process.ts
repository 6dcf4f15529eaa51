// A real Scheduler + ApiServer over the test engine (three roomy agents, launches that start nothing
// and report RUNNING on the next turn): 10,000 tasks without 10,000 processes.
import { randomUUID } from 'node:crypto';
import { ApiServer } from '../src/api/server.js';
import { planStatus } from '../src/plan/index.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { parseServiceSpec } from '../src/spec/index.js';
import { MemoryPersister, StateStore } from '../src/state/index.js';
import { TestEngine } from '../test/support/test-engine.js';
import { podsSpec } from './service.js';
import { now, waitFor } from './measure.js';

export interface InProcess {
  readonly scheduler: Scheduler;
  readonly api: ApiServer;
  readonly url: string;
  readonly token: string;
  /** Milliseconds from start() until the deploy plan was COMPLETE. */
  readonly deployMs: number;
  close(): Promise<void>;
}

/** A real Scheduler and ApiServer over the no-op engine, with `count` one-task pods deployed. */
export async function startInProcess(count: number, strategy: 'serial' | 'parallel' = 'parallel'): Promise<InProcess> {
  const spec = parseServiceSpec(podsSpec(`bench-api-${count}`, count, strategy));
  const scheduler = new Scheduler({
    spec,
    configId: randomUUID(),
    store: new StateStore(new MemoryPersister()),
    engine: new TestEngine(),
    newId: randomUUID,
    log: () => {},
  });
  const token = 'bench-token';
  const api = new ApiServer({ scheduler, token });
  const url = await api.listen();
  const t0 = now();
  await scheduler.start();
  const plan = () => scheduler.plan('deploy');
  await waitFor(`no-op deploy of ${count}`, () => {
    const p = plan();
    return !!p && planStatus(p) === 'COMPLETE';
  }, 600_000, 1);
  const deployMs = now() - t0;
  return {
    scheduler,
    api,
    url,
    token,
    deployMs,
    close: async () => {
      scheduler.stop();
      await api.close();
    },
  };
}

// A no-op Engine for the in-process API benchmark: three roomy agents, reservations in memory, and a
// launch that starts nothing but reports every task RUNNING on the next turn of the event loop. It
// lets a real Scheduler + ApiServer hold 1,000 tasks without 1,000 processes. Not a test double.
import { randomUUID } from 'node:crypto';
import { ApiServer } from '../src/api/server.js';
import type { Agent, Engine, ExecContext, PodLaunch, Reservation, ReservationRequest, StatusListener } from '../src/engine/types.js';
import { planStatus } from '../src/plan/index.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { parseServiceSpec } from '../src/spec/index.js';
import { MemoryPersister, StateStore } from '../src/state/index.js';
import { podsSpec } from './service.js';
import { now, waitFor } from './measure.js';

const AGENTS: Agent[] = [1, 2, 3].map((i) => ({
  id: `agent-${i}`,
  hostname: `agent-${i}.local`,
  ip: `127.0.0.${i + 1}`,
  zone: `zone-${i}`,
  region: 'local',
  resources: { cpus: 1e6, mem: 1e9, disk: 1e9, portRanges: [[10000 + i * 1000, 10999 + i * 1000]] },
}));

export class NoopEngine implements Engine {
  private readonly res: Reservation[] = [];
  private readonly listeners: StatusListener[] = [];

  agents(): Agent[] {
    return AGENTS;
  }
  reservations(): Reservation[] {
    return this.res;
  }
  async reserve(req: ReservationRequest): Promise<Reservation> {
    const r: Reservation = { ...req, id: randomUUID() };
    this.res.push(r);
    return r;
  }
  async unreserve(id: string): Promise<void> {
    const i = this.res.findIndex((r) => r.id === id);
    if (i >= 0) this.res.splice(i, 1);
  }
  async launch(pod: PodLaunch): Promise<void> {
    setImmediate(() => {
      for (const t of pod.tasks) {
        const status = { taskId: t.taskId, state: 'TASK_RUNNING' as const, message: 'no-op engine', timestamp: Date.now() / 1000, pid: 1 };
        for (const l of this.listeners) l({ podInstance: pod.podInstance, taskName: t.name, status }, () => {});
      }
    });
  }
  async kill(): Promise<void> {}
  async stopPod(): Promise<void> {}
  onStatus(listener: StatusListener): void {
    this.listeners.push(listener);
  }
  async reconcile(): Promise<void> {}
  execContext(_reservationId: string, task: { readonly env: Readonly<Record<string, string>> }): ExecContext {
    return { cwd: '/nonexistent', env: task.env };
  }
  close(): void {}
}

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
    engine: new NoopEngine(),
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

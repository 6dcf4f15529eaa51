// An Engine that runs nothing, for the scheduler's in-process tests and the bench: agents and
// reservations in memory, launches that report RUNNING on the next turn (unless told otherwise),
// kills that report KILLED, and `emit` for any status a test wants the scheduler to see. It records
// what the scheduler asked of it, so a test can check launches, kills and reconciliation.
import { randomUUID } from 'node:crypto';
import type { Agent, Engine, ExecSession,
  Unsupported, ExpectedTask, PodLaunch, PortRequest, Reservation, ReservationRequest, StatusListener, TaskLaunch, TaskState } from '../../src/engine/types.js';
import { updatedPorts } from '../../src/engine/types.js';

export const roomyAgents = (count = 3): Agent[] =>
  Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    return {
      id: `agent-${i}`,
      hostname: `agent-${i}.local`,
      ip: `127.0.0.${i + 1}`,
      zone: `zone-${i}`,
      region: 'local',
      resources: { cpus: 1e6, mem: 1e9, disk: 1e9, portRanges: [[10000 + i * 1000, 10999 + i * 1000]] },
    };
  });

export interface TestEngineOptions {
  readonly agents?: Agent[];
  /** Seconds since the epoch for status timestamps; the wall clock by default. */
  readonly nowSec?: () => number;
  /** Whether a launched task reports TASK_RUNNING by itself on the next turn (default true). */
  readonly autoRun?: boolean;
  /** Tasks (full names) alive in this engine from the start, as executors a restarted scheduler finds again. */
  readonly alive?: ReadonlyArray<{ readonly taskName: string; readonly taskId: string; readonly podInstance: string }>;
}

interface Live {
  readonly podInstance: string;
  readonly taskId: string;
}

export class TestEngine implements Engine {
  private res: Reservation[] = [];
  private readonly listeners: StatusListener[] = [];
  private readonly agentList: Agent[];
  private readonly nowSec: () => number;
  private readonly autoRun: boolean;
  /** The current incarnation of each task this engine launched, by full task name. */
  private readonly tasks = new Map<string, Live>();
  /** Every launch, in order. */
  readonly launches: PodLaunch[] = [];
  /** Every kill: pod instance and task name. */
  readonly kills: Array<{ readonly podInstance: string; readonly taskName: string }> = [];
  readonly stoppedPods: string[] = [];
  /** What each reconcile was told to expect. */
  readonly reconciled: Array<readonly ExpectedTask[]> = [];
  /** Set to make kill() reject with this message (a backend that cannot reach its executor). */
  killFails?: string;
  /** Set to make launch() reject with this message. */
  launchFails?: string;

  constructor(opts: TestEngineOptions = {}) {
    this.agentList = opts.agents ?? roomyAgents();
    this.nowSec = opts.nowSec ?? (() => Date.now() / 1000);
    this.autoRun = opts.autoRun ?? true;
    for (const t of opts.alive ?? []) this.tasks.set(t.taskName, { podInstance: t.podInstance, taskId: t.taskId });
  }

  agents(): Agent[] {
    return this.agentList;
  }
  reservations(): Reservation[] {
    return this.res;
  }
  async reserve(req: ReservationRequest): Promise<Reservation> {
    const r: Reservation = { ...req, id: randomUUID() };
    this.res.push(r);
    return r;
  }
  async updatePorts(id: string, ports: readonly PortRequest[]): Promise<Reservation> {
    const i = this.res.findIndex((r) => r.id === id);
    if (i < 0) throw new Error(`no reservation ${id}`);
    const updated = { ...this.res[i], ports: await updatedPorts(this.res[i].ports, ports, (added) => added) };
    this.res = this.res.map((r) => (r.id === id ? updated : r)); // a new list, as the engines' own: placement re-sums it
    return updated;
  }
  async unreserve(id: string): Promise<void> {
    const i = this.res.findIndex((r) => r.id === id);
    if (i >= 0) this.res.splice(i, 1);
  }
  async launch(pod: PodLaunch): Promise<void> {
    if (this.launchFails) throw new Error(this.launchFails);
    this.launches.push(pod);
    for (const t of pod.tasks) this.tasks.set(t.name, { podInstance: pod.podInstance, taskId: t.taskId });
    if (!this.autoRun) return;
    setImmediate(() => {
      for (const t of pod.tasks) this.report(t.name, 'TASK_RUNNING', { taskId: t.taskId, ready: true });
    });
  }
  async kill(podInstance: string, taskName: string): Promise<void> {
    if (this.killFails) throw new Error(this.killFails);
    this.kills.push({ podInstance, taskName });
    const live = this.tasks.get(taskName);
    if (live) setImmediate(() => this.report(taskName, 'TASK_KILLED', { taskId: live.taskId }));
  }
  async stopPod(podInstance: string): Promise<void> {
    this.stoppedPods.push(podInstance);
  }
  onStatus(listener: StatusListener): void {
    this.listeners.push(listener);
  }
  /** Tasks expected but not alive here are reported lost, as an engine whose executor is gone would. */
  async reconcile(expected: readonly ExpectedTask[]): Promise<void> {
    this.reconciled.push(expected);
    for (const e of expected) {
      const live = this.tasks.get(e.taskName);
      if (live?.taskId === e.taskId) continue;
      this.report(e.taskName, 'TASK_LOST', { taskId: e.taskId, podInstance: e.podInstance, message: 'executor gone' });
    }
  }
  unsupported(): Unsupported[] {
    return [];
  }
  async sweep(): Promise<void> {}
  exec(): ExecSession {
    throw new Error('not supported: the test engine runs no processes to exec into');
  }
  logs(): AsyncIterable<string> {
    throw new Error('not supported: the test engine runs no processes with logs');
  }
  /** Drops the scheduler's listener, as a real engine drops its connections. */
  close(): void {
    this.listeners.length = 0;
  }

  /** The launch of a task's current incarnation. */
  launched(taskName: string): TaskLaunch | undefined {
    for (let i = this.launches.length - 1; i >= 0; i--) {
      const t = this.launches[i].tasks.find((x) => x.name === taskName);
      if (t) return t;
    }
    return undefined;
  }

  /** Reports a status of a task's current incarnation (or of `taskId`), as its executor would. */
  emit(taskName: string, state: TaskState, opts: { readonly taskId?: string; readonly message?: string; readonly ready?: boolean; readonly exitCode?: number } = {}): void {
    this.report(taskName, state, opts);
  }

  private report(taskName: string, state: TaskState, opts: { taskId?: string; podInstance?: string; message?: string; ready?: boolean; exitCode?: number }): void {
    const live = this.tasks.get(taskName);
    const taskId = opts.taskId ?? live?.taskId;
    const podInstance = opts.podInstance ?? live?.podInstance;
    if (!taskId || !podInstance) throw new Error(`test engine: no task ${taskName} was launched`);
    const status = { taskId, state, message: opts.message ?? 'test engine', timestamp: this.nowSec(), ready: opts.ready, exitCode: opts.exitCode };
    for (const l of this.listeners) l({ podInstance, taskName, status }, () => {});
  }
}

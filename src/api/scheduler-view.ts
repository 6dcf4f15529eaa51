// What the API may ask of the scheduler: reads of its plans, tasks and state, the operator's
// commands, and exec/logs through the engine. The API is typed against this, not the Scheduler
// class, so it can be served (and tested) over any scheduler that answers these.
import type { Agent, ExecCommand, ExecOptions, ExecSession, LogOptions, Reservation } from '../engine/types.js';
import type { Plan, PlanCommand, PlanCommandResult } from '../plan/index.js';
import type { Endpoint } from '../scheduler/endpoints.js';
import type { Metrics, OfferLog } from '../scheduler/metrics.js';
import type { ServiceSpec } from '../spec/index.js';
import type { StateStore, TaskRecord } from '../state/index.js';

export interface SchedulerView {
  readonly spec: ServiceSpec;
  readonly configId: string;
  /** The scheduler's env (for what it decides about tasks, e.g. PAUSE_OVERRIDE_CMD). */
  readonly schedulerEnv?: Readonly<Record<string, string>>;
  /** Read through to disk; the API writes only free-form properties (state files). */
  readonly state: StateStore;
  readonly metrics: Metrics;
  planNames(): string[];
  plan(name: string): Plan | undefined;
  planCommand(name: string, cmd: PlanCommand): PlanCommandResult;
  tasks(): readonly TaskRecord[];
  agents(): Agent[];
  reservations(): Reservation[];
  offerLog(): ReturnType<OfferLog['json']>;
  frameworkId(): string | undefined;
  endpoints(): Map<string, Endpoint>;
  killPod(instance: string, mode: 'restart' | 'replace'): Promise<string[] | undefined>;
  setPaused(instance: string, paused: boolean, only?: readonly string[]): Promise<string[] | undefined>;
  startUninstall(): void;
  /** Undefined for an unknown task. */
  exec(taskName: string, cmd: ExecCommand, opts: ExecOptions): ExecSession | undefined;
  /** Undefined for an unknown task. */
  logs(taskName: string, opts: LogOptions): AsyncIterable<string> | undefined;
}

// The engine interface the scheduler core programs against, modelled on a resource-offer cluster
// manager: agents with resources, reservations with persistent volumes, pod launches into one
// executor per pod instance, kills, and a status stream that must be acknowledged.
import type { TaskState, TaskStatusRecord } from '../state/index.js';

export type { TaskState, TaskStatusRecord };

export interface AgentResources {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly portRanges: ReadonlyArray<readonly [number, number]>;
}

export interface Agent {
  readonly id: string;
  readonly hostname: string;
  readonly ip: string;
  readonly zone: string;
  readonly region: string;
  readonly resources: AgentResources;
}

export interface VolumeRequest {
  readonly name: string;
  readonly type: 'ROOT' | 'MOUNT';
  readonly size: number;
}

export interface ReservationRequest {
  readonly agentId: string;
  readonly podInstance: string;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly volumes: readonly VolumeRequest[];
}

export interface Reservation extends ReservationRequest {
  readonly id: string;
}

export interface TaskLaunch {
  readonly taskId: string;
  /** Full task name (`hello-0-server`). */
  readonly name: string;
  readonly cmd: string;
  /** The scheduler's part of the env; the engine adds sandbox, IP and host facts. */
  readonly env: Readonly<Record<string, string>>;
  /** Volume name → path inside the sandbox. */
  readonly volumeMounts: ReadonlyArray<{ readonly volume: string; readonly path: string }>;
  readonly killGracePeriod: number;
}

export interface PodLaunch {
  readonly podInstance: string;
  readonly reservationId: string;
  readonly tasks: readonly TaskLaunch[];
}

export interface StatusUpdate {
  readonly podInstance: string;
  readonly taskName: string;
  readonly status: TaskStatusRecord;
}

export type StatusListener = (update: StatusUpdate, ack: () => void) => void;

/** What the scheduler believes runs where, to be confirmed or contradicted by the engine. */
export interface ExpectedTask {
  readonly podInstance: string;
  readonly reservationId: string;
  readonly taskName: string;
  readonly taskId: string;
}

export interface Engine {
  agents(): Agent[];
  reservations(): Reservation[];
  reserve(req: ReservationRequest): Reservation;
  /** Releases a reservation and destroys its volumes. */
  unreserve(reservationId: string): Promise<void>;
  launch(pod: PodLaunch): Promise<void>;
  kill(podInstance: string, taskName: string, gracePeriodSec: number): Promise<void>;
  /** Kills every task of a pod instance and stops its executor. */
  stopPod(podInstance: string, reservationId: string): Promise<void>;
  onStatus(listener: StatusListener): void;
  /** Reconnects to live executors; replays unacknowledged updates; reports TASK_LOST for the rest. */
  reconcile(expected: readonly ExpectedTask[]): Promise<void>;
  /** The sandbox directory and env a task runs in, for exec and logs. */
  sandboxOf(podInstance: string, reservationId: string, taskName: string): string;
  /** Drops connections without touching any executor (scheduler shutdown). */
  close(): void;
}

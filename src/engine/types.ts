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
  /** Agent attributes for placement rules (`rack: r1`); local agents have none unless configured in agents.json. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly resources: AgentResources;
}

export interface VolumeRequest {
  readonly name: string;
  readonly type: 'ROOT' | 'MOUNT';
  readonly size: number;
}

export interface PortRequest {
  readonly name: string;
  /** 0 = any free port of the agent's ranges. */
  readonly port: number;
}

export interface ReservationRequest {
  readonly agentId: string;
  readonly podInstance: string;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly volumes: readonly VolumeRequest[];
  readonly ports: readonly PortRequest[];
}

export interface Reservation extends ReservationRequest {
  readonly id: string;
  /** The ports actually reserved, by name (dynamic ones resolved). */
  readonly ports: readonly PortRequest[];
}

export interface CheckRequest {
  readonly cmd: string;
  readonly interval: number;
  readonly delay: number;
  readonly gracePeriod: number;
  readonly timeout: number;
  readonly maxConsecutiveFailures: number;
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
  /** Files written into the sandbox before the task starts (config templates). */
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>;
  /** Fetched into the sandbox (archives extracted) before the task starts. */
  readonly uris: readonly string[];
  readonly memoryMb: number;
  /** Resource limits (RLIMIT_*), soft and hard; undefined or -1 = unlimited. */
  readonly rlimits: ReadonlyArray<{ readonly name: string; readonly soft?: number; readonly hard?: number }>;
  readonly killGracePeriod: number;
  readonly healthCheck?: CheckRequest;
  readonly readinessCheck?: CheckRequest;
  /** Set when the pod has `image:`: the task runs in a container of it. */
  readonly image?: import('./image-launch.js').ImageLaunch;
  /** Set for a task without an image whose pod asks for a private /dev/shm or host volumes. */
  readonly isolation?: import('./image-launch.js').HostIsolation;
}

export interface ExecContext {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
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
  /** Reserves resources and ports on an agent (ports are checked bindable on the agent's IP). */
  reserve(req: ReservationRequest): Promise<Reservation>;
  /** Releases a reservation and destroys its volumes. */
  unreserve(reservationId: string): Promise<void>;
  launch(pod: PodLaunch): Promise<void>;
  kill(podInstance: string, taskName: string, gracePeriodSec: number): Promise<void>;
  /** Kills every task of a pod instance and stops its executor; a no-op for a released reservation. */
  stopPod(podInstance: string, reservationId: string): Promise<void>;
  onStatus(listener: StatusListener): void;
  /** Reconnects to live executors; replays unacknowledged updates; reports TASK_LOST for the rest. */
  reconcile(expected: readonly ExpectedTask[]): Promise<void>;
  /** The sandbox directory and full env a task runs with, for exec and logs. */
  execContext(reservationId: string, task: { readonly name: string; readonly taskId: string; readonly env: Readonly<Record<string, string>> }): ExecContext;
  /** Optional: gets ready for launches ahead of time (a deploy is about to run). */
  warmUp?(): void;
  /** Drops connections without touching any executor (scheduler shutdown). */
  close(): void;
}

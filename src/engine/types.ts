// The engine interface the scheduler core programs against, modelled on a resource-offer cluster
// manager: agents with resources, reservations with persistent volumes, pod launches into one
// executor per pod instance, kills, and a status stream that must be acknowledged.
import type { Readable } from 'node:stream';
import type { ServiceSpec, SpecIssue } from '../spec/index.js';

export type TaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_GONE';

export const TERMINAL_STATES: ReadonlySet<TaskState> = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_GONE']);
export const isTerminal = (s: TaskState): boolean => TERMINAL_STATES.has(s);

/** A task's last status as the core keeps it. How a backend tracks the task (pids, pods) stays inside it. */
export interface TaskStatusRecord {
  readonly taskId: string;
  readonly state: TaskState;
  readonly message: string;
  /** Seconds since the epoch, as Mesos reports it. */
  readonly timestamp: number;
  readonly exitCode?: number;
  /** Readiness check passed (only set for tasks that have one). */
  readonly ready?: boolean;
}

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
  /**
   * The pod's virtual networks (`networks:`), absent or empty for the host network. On a network
   * without port mapping the ports are the pod's own, not the agent's; on mesos-bridge they are
   * the agent's, mapped into the pod with `hostPorts` → `containerPorts` added.
   */
  readonly networks?: ReadonlyArray<{ readonly name: string; readonly hostPorts: readonly number[]; readonly containerPorts: readonly number[] }>;
}

export interface Reservation extends ReservationRequest {
  readonly id: string;
  /** The ports actually reserved, by name (dynamic ones resolved). */
  readonly ports: readonly PortRequest[];
  /** A pod on a virtual network: its own address, where its tasks listen. Absent: its agent's IP. */
  readonly ip?: string;
  /** A pod on a port-mapping network: the agent's ports forwarded to the pod's. */
  readonly portMappings?: ReadonlyArray<{ readonly hostPort: number; readonly containerPort: number }>;
}

/**
 * The ports a pod now wants, in its order: those its reservation holds already kept (a static port
 * by number, a dynamic one by name), the others as `pick` reserves them (given the kept ones too).
 */
export async function updatedPorts(
  held: readonly PortRequest[],
  wanted: readonly PortRequest[],
  pick: (added: PortRequest[], kept: PortRequest[]) => PortRequest[] | Promise<PortRequest[]>,
): Promise<PortRequest[]> {
  const kept: PortRequest[] = [];
  const added: PortRequest[] = [];
  for (const w of wanted) {
    const have = w.port > 0 ? held.find((h) => h.port === w.port) : held.find((h) => h.name === w.name);
    if (have) kept.push({ name: w.name, port: have.port });
    else added.push(w);
  }
  const picked = await pick(added, kept);
  return wanted.map((w) => [...kept, ...picked].find((p) => p.name === w.name) ?? w);
}

/** The ports a reservation holds on its agent's address: its ports, or on a virtual network its mapped ones. */
export const agentPorts = (r: Reservation): number[] => (r.ip === undefined ? r.ports.map((p) => p.port) : (r.portMappings ?? []).map((m) => m.hostPort));

/** The address a reservation's tasks listen on: the pod's own on a virtual network, else the agent's. */
export const taskIp = (r: Reservation | undefined, agent: Agent | undefined): string => r?.ip ?? agent?.ip ?? '';

export interface CheckRequest {
  readonly cmd: string;
  readonly interval: number;
  readonly delay: number;
  readonly gracePeriod: number;
  readonly timeout: number;
  readonly maxConsecutiveFailures: number;
}

export interface SandboxFile {
  /** Relative to the sandbox. */
  readonly path: string;
  readonly content: string;
  /** `base64` for binary content (keystores); utf8 otherwise. */
  readonly encoding?: 'base64';
  /** File mode; secrets and keys are 0400. Default: per umask. */
  readonly mode?: number;
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
  /** Files written into the sandbox before the task starts (config templates, secrets, TLS artifacts). */
  readonly files: ReadonlyArray<SandboxFile>;
  /**
   * Secret values for the env (`env-key` secrets), resolved at launch: added to the task's env by
   * the engine and never stored (the task record's env, which is persisted, does not hold them).
   */
  readonly secretEnv?: Readonly<Record<string, string>>;
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

/** A launched task, as the scheduler names it to the engine for exec and logs. */
export interface TaskRef {
  readonly reservationId: string;
  /** Full task name (`hello-0-server`). */
  readonly name: string;
  readonly taskId: string;
  /** The scheduler's part of its env (as launched). */
  readonly env: Readonly<Record<string, string>>;
}

export interface ExecCommand {
  readonly cmd: string;
  readonly args: readonly string[];
}

export interface ExecOptions {
  /**
   * The command gets this process's own terminal (stdin, stdout and stderr inherited): an operator
   * on the machine the task runs on. Otherwise its output is streamed through the ExecSession.
   */
  readonly tty: boolean;
  /** Its stdin: this process's own, or none (an exec from the API has none). */
  readonly stdin: 'inherit' | 'none';
}

/**
 * A running exec. It runs in its own process group (in the task's cgroup where the backend has
 * one); when it ends, or kill() is called (the client went away), the whole group is killed.
 */
export interface ExecSession {
  /** Null with tty (inherited). */
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Resolves to the exit status (128 + n for a signal; 127 for a command not found); rejects with ExecFailed when nothing could start. */
  readonly exit: Promise<number>;
  kill(): void;
}

export interface LogOptions {
  readonly stream: 'stdout' | 'stderr';
  readonly follow: boolean;
  /** Only the last n lines of what is there already. */
  readonly lines?: number;
  /** Ends a follow (the client went away). */
  readonly signal?: AbortSignal;
}

/** An exec could not be started at all (its sandbox is gone). */
export class ExecFailed extends Error {}

/** A task's output is not there (the task never started on this backend). */
export class NoTaskOutput extends Error {}

/** A spec field a backend cannot run, with its YAML path and why. */
export type Unsupported = SpecIssue;

/** What an operator may set per agent (`svc install --agents-file`); the rest has defaults. */
export interface AgentSetting {
  readonly zone?: string;
  readonly region?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
}

/**
 * A backend's tasks reached by name from the machine they run on, from the backend's own files
 * (no scheduler, no environment sent over the network): the operator's `svc task exec -it`.
 */
export interface LocalTasks {
  /** The names of the tasks found here. */
  names(): string[];
  /** Undefined when no task of that name runs here. */
  exec(task: string, cmd: ExecCommand, opts: ExecOptions): ExecSession | undefined;
  logs(task: string, opts: LogOptions): AsyncIterable<string> | undefined;
}

/** Running commands in and reading the output of a backend's tasks. */
export interface TaskAccess {
  /** Runs a command in the task's sandbox with its env (and its agent's IP). */
  exec(task: TaskRef, cmd: ExecCommand, opts: ExecOptions): ExecSession;
  /** The task's stdout or stderr, as it comes with `follow`. Throws NoTaskOutput when there is none. */
  logs(task: TaskRef, opts: LogOptions): AsyncIterable<string>;
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

export interface Engine extends TaskAccess {
  agents(): Agent[];
  reservations(): Reservation[];
  /** Reserves resources and ports on an agent (ports are checked bindable on the agent's IP). */
  reserve(req: ReservationRequest): Promise<Reservation>;
  /** Releases a reservation and destroys its volumes. */
  unreserve(reservationId: string): Promise<void>;
  /**
   * A config update changed a pod's ports: its reservation holds `ports` from now on (a port it
   * holds already is kept, a dynamic one by name; new ones are checked free and bindable), its id
   * and volumes untouched. Rejects, changing nothing, when a new port cannot be had.
   */
  updatePorts(reservationId: string, ports: readonly PortRequest[]): Promise<Reservation>;
  launch(pod: PodLaunch): Promise<void>;
  kill(podInstance: string, taskName: string, gracePeriodSec: number): Promise<void>;
  /** Kills every task of a pod instance and stops its executor; a no-op for a released reservation. */
  stopPod(podInstance: string, reservationId: string): Promise<void>;
  onStatus(listener: StatusListener): void;
  /** Reconnects to live executors; replays unacknowledged updates; reports TASK_LOST for the rest. */
  reconcile(expected: readonly ExpectedTask[]): Promise<void>;
  /** The spec fields this backend cannot run, each with its YAML path and a reason; empty when it runs all. */
  unsupported(spec: ServiceSpec): Unsupported[];
  /**
   * Uninstall's last resort, with or without a scheduler: ends every process of the service this
   * backend started (executors, tasks, execs) and what it holds outside the service's folder.
   */
  sweep(): Promise<void>;
  /** Optional: gets ready for launches ahead of time (a deploy is about to run). */
  warmUp?(): void;
  /** Drops connections without touching any executor (scheduler shutdown). */
  close(): void;
}

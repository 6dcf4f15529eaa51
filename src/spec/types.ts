// The fully-defaulted, immutable service specification: what `svc.yml` means after rendering,
// parsing and validation. Field names follow the YAML, camel-cased. Everything is plain data
// (JSON-serialisable), so a spec can be persisted and hashed (see configId).

/** `FINISH` (the later name) and `FINISHED` (the 2017 name) both load as `FINISHED`. */
export type Goal = 'RUNNING' | 'FINISHED' | 'ONCE';

/** A dynamic port's allowed range; `end` is 65535 when the YAML leaves it out or gives 0. */
export interface PortRange {
  readonly begin: number;
  readonly end: number;
}

export interface PortSpec {
  readonly name: string;
  /** 0 = pick a free port from the agent's ranges. */
  readonly port: number;
  readonly envKey?: string;
  readonly advertise: boolean;
  /** `prefix` defaults to the port name. */
  readonly vip?: { readonly prefix: string; readonly port: number };
  /** Constraints on a dynamic port; empty = any. */
  readonly ranges: readonly PortRange[];
}

export interface VolumeSpec {
  /** Stable name: the YAML key under `volumes:`, or the path for the single `volume:` form. */
  readonly name: string;
  /** One relative directory name, mounted at `$MESOS_SANDBOX/<path>`. */
  readonly path: string;
  readonly type: 'ROOT' | 'MOUNT';
  /** MB. */
  readonly size: number;
  /** Storage profiles (MOUNT only). */
  readonly profiles: readonly string[];
}

export interface CheckSpec {
  readonly cmd: string;
  /** Seconds between checks. */
  readonly interval: number;
  /** Seconds before the first check. */
  readonly delay: number;
  /** Health checks: seconds during which failures are ignored. Readiness checks: always 0. */
  readonly gracePeriod: number;
  /** Seconds per check. */
  readonly timeout: number;
  /** Health checks: failures in a row that kill the task (≥ 1). Readiness checks: 0 (not applicable, they run until they pass). */
  readonly maxConsecutiveFailures: number;
}

export interface ConfigTemplateSpec {
  readonly name: string;
  /** The template file, relative to the directory of svc.yml (as written in the spec). */
  readonly template: string;
  /** Where the rendered file goes, relative to the task sandbox. */
  readonly dest: string;
  /** The template's text; set by loadServiceSpec (or parse options `templates`), else undefined. */
  readonly content?: string;
}

/** `cpus`/`memory` limit: a number, or `unlimited`. Absent = not set. */
export type ResourceLimit = number | 'unlimited';

export interface ResourceLimitsSpec {
  readonly cpus?: ResourceLimit;
  readonly memory?: ResourceLimit;
}

/** What a task reserves. Tasks without `resource-set` get a private one named `<task>-resource-set`. */
export interface ResourceSetSpec {
  readonly id: string;
  /** True for sets declared under the pod's `resource-sets:`, false for a task's implicit set. */
  readonly declared: boolean;
  readonly cpus: number;
  readonly gpus: number;
  readonly memory: number;
  readonly ports: readonly PortSpec[];
  readonly volumes: readonly VolumeSpec[];
  readonly resourceLimits?: ResourceLimitsSpec;
}

export interface DiscoverySpec {
  /** DNS name becomes `<prefix>-<index>` instead of `<pod>-<index>-<task>`. */
  readonly prefix?: string;
  readonly visibility: 'FRAMEWORK' | 'CLUSTER' | 'EXTERNAL';
}

export interface TransportEncryptionSpec {
  readonly name: string;
  readonly type: 'TLS' | 'KEYSTORE';
}

export type IpcMode = 'PRIVATE' | 'SHARE_PARENT';

export interface TaskSpec {
  readonly name: string;
  readonly goal: Goal;
  readonly essential: boolean;
  readonly cmd: string;
  readonly env: Readonly<Record<string, string>>;
  /** The effective resources: the task's own, or those of the resource set it names. */
  readonly cpus: number;
  readonly gpus: number;
  readonly memory: number;
  readonly ports: readonly PortSpec[];
  readonly volumes: readonly VolumeSpec[];
  readonly resourceLimits?: ResourceLimitsSpec;
  /** Id of the task's resource set (declared, or the implicit `<task>-resource-set`). */
  readonly resourceSet: string;
  readonly configs: readonly ConfigTemplateSpec[];
  readonly healthCheck?: CheckSpec;
  readonly readinessCheck?: CheckSpec;
  /** Seconds between SIGTERM and SIGKILL (0–3600). */
  readonly killGracePeriod: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly discovery?: DiscoverySpec;
  readonly transportEncryption: readonly TransportEncryptionSpec[];
  readonly ipcMode?: IpcMode;
  /** MB of /dev/shm. */
  readonly shmSize?: number;
}

export type PlacementOperator = 'UNIQUE' | 'MAX_PER' | 'CLUSTER' | 'IS' | 'IS_NOT' | 'LIKE' | 'UNLIKE' | 'GROUP_BY';

/** One placement rule; a pod's rules are ANDed. */
export interface PlacementConstraint {
  /** `hostname`, `@zone`, `@region`, or an agent attribute name. */
  readonly field: string;
  readonly operator: PlacementOperator;
  readonly value?: string;
}

export interface NetworkSpec {
  readonly name: string;
  /** Explicit host → container port pairs (mesos-bridge only); same length. */
  readonly hostPorts: readonly number[];
  readonly containerPorts: readonly number[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface RLimitSpec {
  /** e.g. RLIMIT_NOFILE. */
  readonly name: string;
  /** Both undefined = unlimited; -1 = unlimited. */
  readonly soft?: number;
  readonly hard?: number;
}

export interface SecretSpec {
  readonly name: string;
  /** Secret-store path. */
  readonly secret: string;
  readonly envKey?: string;
  /** Relative path in the sandbox; defaults to `secret` when neither `env-key` nor `file` is set. */
  readonly file?: string;
  /**
   * A digest of the stored secret's version (never of its value), stamped at install and update so
   * that `svc secret update` + `svc update start` changes the config id and rolls the pods.
   */
  readonly version?: string;
}

export interface HostVolumeSpec {
  readonly name: string;
  readonly hostPath: string;
  readonly containerPath: string;
  readonly mode: 'RW' | 'RO';
}

export interface ExternalVolumeSpec {
  readonly name: string;
  readonly type: 'DOCKER';
  readonly volumeName?: string;
  readonly volumeMode: 'RW' | 'RO';
  readonly driverName: string;
  /** `k=v;k=v;` */
  readonly driverOptions?: string;
  readonly containerPath: string;
}

export interface PodSpec {
  readonly name: string;
  readonly count: number;
  /** The placement string as written (after rendering); see `constraints` for its meaning. */
  readonly placement?: string;
  readonly constraints: readonly PlacementConstraint[];
  readonly allowDecommission: boolean;
  /** Pod-level (executor) volumes, shared by every task of an instance. */
  readonly volumes: readonly VolumeSpec[];
  readonly tasks: readonly TaskSpec[];
  /** Declared and implicit resource sets, declared first. */
  readonly resourceSets: readonly ResourceSetSpec[];
  readonly uris: readonly string[];
  readonly image?: string;
  readonly networks: readonly NetworkSpec[];
  readonly rlimits: readonly RLimitSpec[];
  readonly secrets: readonly SecretSpec[];
  /** The user tasks run as: the service's `scheduler.user`. */
  readonly user: string;
  readonly sharePidNamespace: boolean;
  /** `*` = none. */
  readonly preReservedRole: string;
  readonly hostVolumes: readonly HostVolumeSpec[];
  readonly externalVolumes: readonly ExternalVolumeSpec[];
  readonly seccompUnconfined: boolean;
  readonly seccompProfileName?: string;
  readonly ipcMode?: 'PRIVATE';
  readonly shmSize?: number;
}

export type StepsSpec = ReadonlyArray<{ readonly key: string; readonly groups: readonly (readonly string[])[] }>;

export interface PhaseSpec {
  readonly name: string;
  /** serial | parallel | serial-canary | parallel-canary (`canary` is read as serial-canary). */
  readonly strategy: string;
  readonly pod: string;
  /** Custom steps: key is "default" or a pod index; each group launches those tasks together. */
  readonly steps?: StepsSpec;
}

export interface PlanSpec {
  readonly name: string;
  /** serial | parallel. */
  readonly strategy: string;
  readonly phases: readonly PhaseSpec[];
}

export interface ServiceSpec {
  readonly name: string;
  readonly webUrl?: string;
  readonly scheduler: { readonly principal: string; readonly user: string; readonly zookeeper: string };
  /** `<name with leading / stripped and other / → __>-role`. */
  readonly role: string;
  readonly pods: readonly PodSpec[];
  readonly plans: readonly PlanSpec[];
}

/** One problem found in a spec, with the YAML path it concerns (`pods.hello.tasks.server.cpus`). */
export interface SpecIssue {
  readonly path: string;
  readonly message: string;
  /** Config-update issues only: the original scheduler exits instead of keeping the old target. */
  readonly fatal?: boolean;
}

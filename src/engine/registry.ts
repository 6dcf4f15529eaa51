// The one place that knows the engine backends: which kinds exist, which this build can run, and
// how to build each. A service's engine is chosen at install and recorded in its home; everything
// above the engine layer reaches a backend only through here.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceSpec } from '../spec/index.js';
import type { Persister } from '../state/index.js';
import type { AgentSetting, Engine, LocalTasks, Unsupported } from './types.js';
import type { RegistryAccess } from './local/registries.js';

export const ENGINE_KINDS = ['local', 'kubernetes'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];
export const DEFAULT_ENGINE: EngineKind = 'local';

/** An engine kind that is unknown. */
export class EngineNotAvailable extends Error {}

/** The kind an operator named (`--engine`), refused loudly when unknown. */
export function engineKind(name: string | undefined): EngineKind {
  if (name === undefined) return DEFAULT_ENGINE;
  if (!(ENGINE_KINDS as readonly string[]).includes(name)) throw new EngineNotAvailable(`--engine ${name}: unknown engine; expected one of: ${ENGINE_KINDS.join(', ')}`);
  return name as EngineKind;
}

/** Where a Kubernetes service runs: the cluster (kubeconfig and context), its namespace and how pods are made. */
export interface KubernetesSettings {
  /** Kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace: string;
  /** The image of pods whose spec names none. */
  readonly defaultImage: string;
  /** Only nodes with all these labels are agents. */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly storageClass?: string;
}

/** What building an engine for a service takes; each backend uses its part. */
export interface EngineSettings {
  /** The service's home: the engine keeps its own files under it. */
  readonly root: string;
  /** What this service's task ids start with. */
  readonly taskIdPrefix: string;
  /** Path of the bundled executor entry point (local); default: executor.js beside this code in dist/. */
  readonly executorScript?: string;
  readonly agentSettings?: readonly AgentSetting[];
  readonly agentCount?: number;
  readonly agentCpus?: number;
  readonly agentMem?: number;
  readonly baseEnv?: Readonly<Record<string, string>>;
  /** The spec's `scheduler.user`: whom tasks run as when the engine runs as root. */
  readonly taskUser?: string;
  /** The local engine's image pulls: whose credentials, which registries over plain HTTP. */
  readonly registries?: RegistryAccess;
  readonly log?: (msg: string) => void;
  /** The Kubernetes engine: its cluster, and the service it runs (name and spec). */
  readonly kubernetes?: KubernetesSettings & { readonly service: string; readonly spec?: ServiceSpec };
  readonly now?: () => number;
}

const kubernetesOf = (s: EngineSettings) => {
  if (!s.kubernetes) throw new Error('the kubernetes engine needs its cluster settings (namespace, default image); this service was installed without them');
  return s.kubernetes;
};

export async function createEngine(kind: EngineKind, s: EngineSettings): Promise<Engine> {
  switch (kind) {
    case 'local': {
      const { LocalEngine } = await import('./local/local-engine.js');
      return new LocalEngine({ ...s, executorScript: s.executorScript ?? join(dirname(fileURLToPath(import.meta.url)), 'executor.js') });
    }
    case 'kubernetes': {
      const { createKubernetesEngine, LeaseHeld } = await import('./kubernetes/kubernetes-engine.js');
      const log = s.log ?? (() => undefined);
      // a scheduler that died (kill -9, a lost machine) holds the lease until it expires: wait it out
      for (;;) {
        try {
          return await createKubernetesEngine({ ...kubernetesOf(s), log, now: s.now ?? Date.now });
        } catch (e) {
          if (!(e instanceof LeaseHeld)) throw e;
          log(`${e.message}; trying again in ${LEASE_RETRY_MS / 1000} s`);
          await new Promise((r) => setTimeout(r, LEASE_RETRY_MS));
        }
      }
    }
  }
}

const LEASE_RETRY_MS = 2000;

/** The cluster copy of a scheduler's state, on a backend that keeps one (Kubernetes). */
export interface MirroredState {
  /** The Persister the scheduler writes through: `local` first, then a copy in the cluster. */
  mirrorState(local: Persister): Promise<{ persister: Persister }>;
  /** The state tree a scheduler of the service last mirrored; undefined when there is none. */
  mirroredState(): Promise<Record<string, string> | undefined>;
}

/** Tells a backend built from the spec before the target was chosen (Kubernetes) which spec won. */
export function useTargetSpec(engine: Engine, spec: ServiceSpec): void {
  const e = engine as Engine & { useSpec?: (spec: ServiceSpec) => void };
  e.useSpec?.(spec);
}

/** Stops the engine cleanly where the backend has more to do than close() (hand over a lease); resolves when done. */
export async function shutdownEngine(engine: Engine): Promise<void> {
  const e = engine as Engine & { shutdown?: () => Promise<void> };
  if (typeof e.shutdown === 'function') await e.shutdown();
  else engine.close();
}

export function mirroredStateOf(engine: Engine): MirroredState | undefined {
  const e = engine as Engine & Partial<MirroredState>;
  return typeof e.mirrorState === 'function' && typeof e.mirroredState === 'function' ? (e as Engine & MirroredState) : undefined;
}

/**
 * Uninstall's last resort, with or without a scheduler: everything of the service the backend
 * started or holds outside the service's folder. On Kubernetes without taking the scheduler's lease
 * (a killed scheduler's lease is still fresh).
 */
export async function sweepService(kind: EngineKind, s: EngineSettings): Promise<void> {
  switch (kind) {
    case 'local':
      return (await createEngine(kind, s)).sweep();
    case 'kubernetes': {
      const { sweepKubernetesService } = await import('./kubernetes/kubernetes-engine.js');
      return sweepKubernetesService(kubernetesOf(s));
    }
  }
}

/** Before install: the backend's outside world is reachable with the settings given (a cluster's API server). */
export async function probeEngine(kind: EngineKind, s: EngineSettings): Promise<void> {
  switch (kind) {
    case 'local':
      return;
    case 'kubernetes':
      return (await import('./kubernetes/kubernetes-engine.js')).probeCluster(kubernetesOf(s));
  }
}

/**
 * The state a scheduler of the service last mirrored where another machine reaches it (`svc
 * attach`), read without taking its lease; undefined when the backend keeps none or there is none.
 */
export async function clusterState(kind: EngineKind, s: EngineSettings): Promise<Record<string, string> | undefined> {
  switch (kind) {
    case 'local':
      return undefined;
    case 'kubernetes':
      return (await import('./kubernetes/kubernetes-engine.js')).readServiceState(kubernetesOf(s));
  }
}

/** The spec fields a backend cannot run, before anything is installed. */
export async function unsupportedBy(kind: EngineKind, spec: ServiceSpec): Promise<Unsupported[]> {
  switch (kind) {
    case 'local':
      return (await import('./local/support.js')).unsupportedFields(spec);
    case 'kubernetes':
      return (await import('./kubernetes/support.js')).unsupportedFields(spec);
  }
}

/**
 * The service's tasks reached from this machine through the backend's own files, or undefined when
 * the backend runs them elsewhere (then exec and logs go through the scheduler's API).
 */
export async function localTasks(kind: EngineKind, root: string): Promise<LocalTasks | undefined> {
  switch (kind) {
    case 'local':
      return (await import('./local/local-tasks.js')).localTasks(root);
    case 'kubernetes':
      return undefined;
  }
}

/** A cached image of the local engine's store (one per $SVC_HOME), with the tasks whose containers use it. */
export interface CachedImage {
  readonly ref: string;
  readonly digest: string;
  /** Bytes of the unpacked root filesystem. */
  readonly size: number;
  /** `<service>/<task>` of each container using it. */
  readonly usedBy: readonly string[];
}

export interface ImageCache {
  list(): CachedImage[];
  /** Removes every image no container uses; returns what was removed. */
  prune(): Promise<CachedImage[]>;
}

/** The image store that pods with `image:` pull into, shared by the services of `svcHome`. */
export async function imageCache(svcHome: string): Promise<ImageCache> {
  const { ImageStore, imagesDir, imageUses } = await import('./local/images.js');
  const store = new ImageStore(imagesDir(svcHome));
  const usedBy = (digest: string) => imageUses(svcHome).filter((u) => u.digest === digest).map((u) => `${u.service}/${u.task}`).sort();
  return {
    list: () => store.list().map((r) => ({ ref: r.ref, digest: r.digest, size: r.size, usedBy: usedBy(r.digest) })),
    prune: async () => {
      const inUse = new Set(imageUses(svcHome).flatMap((u) => [u.ref, ...(u.digest ? [u.digest] : [])]));
      return (await store.prune(inUse)).map((r) => ({ ref: r.ref, digest: r.digest, size: r.size, usedBy: [] }));
    },
  };
}

// The one place that knows the engine backends: which kinds exist, which this build can run, and
// how to build each. A service's engine is chosen at install and recorded in its home; everything
// above the engine layer reaches a backend only through here.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceSpec } from '../spec/index.js';
import type { AgentSetting, Engine, LocalTasks, Unsupported } from './types.js';

export const ENGINE_KINDS = ['local', 'kubernetes'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];
export const DEFAULT_ENGINE: EngineKind = 'local';

/** An engine kind that is unknown, or known but not built yet. */
export class EngineNotAvailable extends Error {}

/** The kind an operator named (`--engine`), refused loudly when unknown or not built yet. */
export function engineKind(name: string | undefined): EngineKind {
  if (name === undefined) return DEFAULT_ENGINE;
  if (!(ENGINE_KINDS as readonly string[]).includes(name)) throw new EngineNotAvailable(`--engine ${name}: unknown engine; expected one of: ${ENGINE_KINDS.join(', ')}`);
  const kind = name as EngineKind;
  if (kind !== 'local') throw new EngineNotAvailable(`not supported: the ${kind} engine is not built yet; install with --engine local (the default)`);
  return kind;
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
  readonly log?: (msg: string) => void;
}

export async function createEngine(kind: EngineKind, s: EngineSettings): Promise<Engine> {
  switch (kind) {
    case 'local': {
      const { LocalEngine } = await import('./local/local-engine.js');
      return new LocalEngine({ ...s, executorScript: s.executorScript ?? join(dirname(fileURLToPath(import.meta.url)), 'executor.js') });
    }
    default:
      return engineKind(kind) as never;
  }
}

/** The spec fields a backend cannot run, before anything is installed. */
export async function unsupportedBy(kind: EngineKind, spec: ServiceSpec): Promise<Unsupported[]> {
  switch (kind) {
    case 'local':
      return (await import('./local/support.js')).unsupportedFields(spec);
    default:
      return engineKind(kind) as never;
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
    default:
      return undefined;
  }
}

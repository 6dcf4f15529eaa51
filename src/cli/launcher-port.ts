// What the CLI asks of the launcher (install, run, update, uninstall, the registry), as one
// interface reached through deps: verbs are tested against a stub, and the real launcher (which
// loads the spec layer and starts processes) is imported only by the verbs that need it.
import type { SvcClient } from '../client/index.js';
import type { JsonObject } from '../spec/index.js';
import type { ServiceSpec } from '../spec/types.js';
import type { ServiceSummary, UpdatePreview } from '../launcher/launcher.js';

/** How install and run set up a service: its source options and its engine's agents. */
export type LaunchOptions = NonNullable<Parameters<typeof import('../launcher/launcher.js').install>[2]>;
export type AgentSettings = ReturnType<typeof import('../launcher/agents-file.js').readAgentsFile>;
export type { JsonObject, ServiceSpec, ServiceSummary, UpdatePreview };
export type SpecCheck = Awaited<ReturnType<typeof import('../launcher/launcher.js').checkSpec>>;

export interface Launcher {
  /** Package options from a JSON file (a usage error names the file). */
  readOptions(file: string): JsonObject;
  readAgentsFile(file: string): AgentSettings;
  /** A spec or package read exactly as install reads it, nothing installed. */
  resolveSpec(source: string, options?: JsonObject, specFile?: string, buildVars?: Readonly<Record<string, string>>): Promise<ServiceSpec>;
  /** As resolveSpec, valid in the spec language only, with what `engine` (default local) would refuse. */
  checkSpec(source: string, options?: JsonObject, specFile?: string, engine?: string, buildVars?: Readonly<Record<string, string>>): Promise<SpecCheck>;
  /** Registers the service and starts its supervised scheduler; resolves once its API answers. */
  install(source: string, opts: LaunchOptions): Promise<{ name: string; client: SvcClient }>;
  /** The scheduler in this process; resolves once it serves. */
  runForeground(source: string, opts: LaunchOptions): Promise<{ name: string }>;
  /** Throws a not-found error listing the installed services unless `name` is one. */
  checkInstalled(name: string): void;
  /** `replace`: the new options replace the stored ones instead of being merged over them. */
  update(name: string, options?: JsonObject, replace?: boolean): Promise<{ client: SvcClient }>;
  /** What `update` would change and which pods would roll; nothing written. */
  previewUpdate(name: string, options?: JsonObject, replace?: boolean): Promise<UpdatePreview>;
  /** Supervises again a service whose scheduler is down; resolves once its API answers. */
  start(name: string): Promise<{ client: SvcClient }>;
  /** Stops the scheduler and its supervisor (tasks keep running); false when it was not running. */
  stop(name: string): Promise<boolean>;
  /** The scheduler's log file of an installed service. */
  schedulerLog(name: string): string;
  /** Ends with no process and no folder of the service; `progress` gets one line per change. */
  uninstall(name: string, progress: (line: string) => void): Promise<void>;
  services(): Promise<ServiceSummary[]>;
}

/** The launcher of this machine's registry at `svcHome`. */
export async function localLauncher(svcHome: string): Promise<Launcher> {
  const launcher = await import('../launcher/launcher.js');
  const { findService } = await import('../launcher/home.js');
  const { readAgentsFile } = await import('../launcher/agents-file.js');
  return {
    readOptions: launcher.readOptions,
    readAgentsFile,
    resolveSpec: async (source, options, specFile, buildVars) => (await launcher.resolveSource(source, options, specFile, process.env, undefined, undefined, buildVars)).spec,
    checkSpec: launcher.checkSpec,
    install: async (source, opts) => {
      const { home, client } = await launcher.install(svcHome, source, opts);
      return { name: home.name, client };
    },
    runForeground: async (source, opts) => ({ name: (await launcher.runForeground(svcHome, source, opts)).name }),
    checkInstalled: (name) => void findService(svcHome, name),
    update: (name, options, replace) => launcher.update(findService(svcHome, name), options, replace),
    previewUpdate: (name, options, replace) => launcher.previewUpdate(findService(svcHome, name), options, replace),
    start: (name) => launcher.start(findService(svcHome, name)),
    stop: (name) => launcher.stop(findService(svcHome, name)),
    schedulerLog: (name) => findService(svcHome, name).path('scheduler.log'),
    uninstall: (name, progress) => launcher.uninstall(findService(svcHome, name), progress),
    services: () => launcher.services(svcHome),
  };
}

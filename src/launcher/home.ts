// The service registry: $SVC_HOME (default ~/.svc) holds one folder per installed service.
//   service.json   name, source (spec file or package folder + options), installedAt, engine kind and options
//   spec.json      the target ServiceSpec, rendered and resolved (config templates included)
//   token (0600), supervisor.pid, scheduler.pid, api.json {url}
//   supervisor.log, scheduler.log, state/, agents/ ...
//   uninstalling   marker: an uninstall was asked for and must finish, even after a crash
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { caCertificate } from '../tls/ca.js';
import { SvcClient } from '../client/client.js';
import { DEFAULT_ENGINE, ENGINE_KINDS, type EngineKind } from '../engine/registry.js';
import type { JsonObject } from '../spec/package.js';
import { serviceNameProblem } from '../spec/path-names.js';
import { pidAlive, readJsonFile, readPid } from '../util/fs.js';
import { readPidRef, type ProcessRef } from '../util/process-ref.js';
import { LauncherError } from './errors.js';

/** Folder name for a service (names may contain '/' for folders; '__' is not allowed in names). */
export const serviceDirName = (name: string): string => name.replace(/^\//, '').replace(/\//g, '__');

export interface ServiceInfo {
  readonly name: string;
  readonly source: { readonly kind: 'spec' | 'package'; readonly path: string; readonly options?: JsonObject; readonly specFile?: string; readonly buildVars?: Readonly<Record<string, string>> };
  readonly installedAt: string;
  /** The engine chosen at install; absent in homes installed before there was a choice (local). */
  readonly engine?: EngineKind;
  readonly options?: { readonly agents?: number; readonly agentCpus?: number; readonly agentMem?: number; readonly bind?: string; readonly permanentFailureTimeout?: number; readonly tlsCert?: string };
}

export class ServiceHome {
  constructor(
    readonly root: string,
    readonly name: string,
  ) {}

  static of(home: string, name: string): ServiceHome {
    // a name from the command line names a folder that uninstall sweeps: never "..", "." or ""
    const problem = serviceNameProblem(name);
    if (problem) throw new LauncherError(`service name ${problem}`, 'usage');
    return new ServiceHome(join(home, serviceDirName(name)), name);
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }
  exists(): boolean {
    return existsSync(this.path('service.json'));
  }
  info(): ServiceInfo | undefined {
    return readJsonFile<ServiceInfo>(this.path('service.json'));
  }
  /** The service's engine, as recorded at install. */
  engine(): EngineKind {
    const kind = this.info()?.engine ?? DEFAULT_ENGINE;
    if (!ENGINE_KINDS.includes(kind)) throw new LauncherError(`${this.path('service.json')}: unknown engine "${kind}"`, 'failed');
    return kind;
  }
  token(): string {
    return readFileSync(this.path('token'), 'utf8').trim();
  }
  apiUrl(): string | undefined {
    return readJsonFile<{ url: string }>(this.path('api.json'))?.url;
  }
  /** svc's CA, which signed the certificate of an API installed with --tls. */
  apiCa(): string | undefined {
    if (!this.apiUrl()?.startsWith('https:')) return undefined;
    // the operator's own certificate (--tls-cert): trusted beside the system's roots; else svc's CA
    const own = this.info()?.options?.tlsCert;
    return own ? [...rootCertificates, readFileSync(own, 'utf8')].join('\n') : caCertificate(dirname(this.root));
  }
  schedulerPid(): number | undefined {
    return readPid(this.path('scheduler.pid'));
  }
  supervisorPid(): number | undefined {
    return readPid(this.path('supervisor.pid'));
  }
  /** The processes the pid files name, as references checked before any signal. */
  schedulerRef(): ProcessRef | undefined {
    return readPidRef(this.path('scheduler.pid'));
  }
  supervisorRef(): ProcessRef | undefined {
    return readPidRef(this.path('supervisor.pid'));
  }
  uninstalling(): boolean {
    return existsSync(this.path('uninstalling'));
  }
}

/** Every installed service, sorted by name. */
export function listServices(home: string): ServiceHome[] {
  let dirs: string[];
  try {
    dirs = readdirSync(home);
  } catch {
    return [];
  }
  return dirs
    .flatMap((d) => {
      const info = readJsonFile<ServiceInfo>(join(home, d, 'service.json'));
      return info ? [new ServiceHome(join(home, d), info.name)] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function clientFor(home: ServiceHome): SvcClient {
  const url = home.apiUrl();
  if (!url || !pidAlive(home.schedulerPid())) {
    const last = lastLine(home.path('scheduler.log'));
    const how = home.uninstalling() ? `finish its uninstall with: svc uninstall ${home.name}` : `start it again with: svc start ${home.name}`;
    throw new LauncherError(`the scheduler of ${home.name} is not running${last ? `: ${last}` : ''} (see ${home.path('scheduler.log')}); ${how}`, 'not-found');
  }
  return new SvcClient({ url, token: home.token(), ca: home.apiCa() });
}

export function findService(svcHome: string, name: string): ServiceHome {
  const home = ServiceHome.of(svcHome, name);
  if (!home.exists()) {
    const names = listServices(svcHome).map((s) => s.name);
    throw new LauncherError(`service "${name}" is not installed${names.length ? `; installed: ${names.join(', ')}` : ''}`, 'not-found');
  }
  return home;
}

/** The last line of a log that says why something stopped, if any. */
function lastLine(file: string): string | undefined {
  try {
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const failure = [...lines].reverse().find((l) => / failed: /.test(l));
    return failure?.replace(/^\S+ /, '').split('\n')[0];
  } catch {
    return undefined;
  }
}

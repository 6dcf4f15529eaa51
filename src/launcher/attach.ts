// svc attach: brings a scheduler back, on this machine, for a service that already runs on a
// cluster (installed from another machine, whose scheduler is gone). The service's home is made
// from what its scheduler mirrored into the cluster: the target spec; the scheduler then restores
// the whole state from there and adopts the running pods.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { SvcClient } from '../client/index.js';
import { clusterState, engineKind, EngineNotAvailable, type EngineKind } from '../engine/registry.js';
import type { ServiceSpec } from '../spec/index.js';
import { writeFileAtomic } from '../util/fs.js';
import { LauncherError } from './errors.js';
import { ServiceHome } from './home.js';
import { kubernetesSettings, type KubernetesFlags } from './kubernetes-options.js';
import { startSupervisor, waitForApi } from './launcher.js';
import { freePort } from './scheduler-env.js';
import type { InstallOptions } from './scheduler-process.js';
import { taskIdPrefix } from '../scheduler/launch.js';

export interface AttachOptions {
  readonly engine?: string;
  readonly kubernetesFlags?: KubernetesFlags;
}

/** A scheduler killed elsewhere keeps its lease this long (15 s) before this one may take over; then some. */
const ATTACH_API_TIMEOUT_MS = 60_000;

export async function attach(svcHome: string, name: string, opts: AttachOptions): Promise<{ home: ServiceHome; client: SvcClient }> {
  const engine = attachableEngine(opts.engine);
  const kubernetes = kubernetesSettings(engine, opts.kubernetesFlags);
  const home = ServiceHome.of(svcHome, name);
  if (home.exists()) throw new LauncherError(`service "${name}" is already installed here (${home.root}); its scheduler runs from this machine`, 'conflict');
  const tree = await clusterState(engine, { root: home.root, taskIdPrefix: taskIdPrefix(name), ...(kubernetes ? { kubernetes: { ...kubernetes, service: name } } : {}) });
  const where = kubernetes ? `namespace ${kubernetes.namespace}` : engine;
  if (!tree) throw new LauncherError(`no service "${name}" in ${where}: no scheduler of it has mirrored its state there (install it with svc install --engine ${engine})`, 'not-found');
  const target = tree['config-target'];
  const specJson = target ? tree[`configs/${target}`] : undefined;
  if (!specJson) throw new LauncherError(`the state of "${name}" in ${where} has no target config: it was never deployed, or is being uninstalled`, 'failed');
  const spec = JSON.parse(specJson) as ServiceSpec;
  if (spec.name !== name) throw new LauncherError(`the state mirrored for "${name}" in ${where} is of service "${spec.name}"`, 'failed');

  mkdirSync(svcHome, { recursive: true, mode: 0o711 });
  try {
    mkdirSync(home.root, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new LauncherError(`service "${name}" is being installed or attached by another command (${home.root})`, 'conflict');
    throw e;
  }
  try {
    writeFileAtomic(home.path('spec.json'), JSON.stringify(spec, null, 2));
    writeFileAtomic(home.path('token'), randomBytes(24).toString('base64url'), 0o600);
    writeFileAtomic(home.path('scheduler-env.json'), '{}', 0o600);
    const options: InstallOptions = { apiPort: await freePort('127.0.0.1'), kubernetes };
    // the source stays on the machine it was installed from: an update names a spec again (svc update start)
    const source = { kind: 'spec', path: `${engine}:${where.replace(/^namespace /, '')}/${name}` };
    writeFileAtomic(home.path('service.json'), JSON.stringify({ name, source, installedAt: new Date().toISOString(), attachedAt: new Date().toISOString(), engine, options }, null, 2));
  } catch (e) {
    rmSync(home.root, { recursive: true, force: true });
    throw e;
  }
  startSupervisor(home);
  const url = await waitForApi(home, ATTACH_API_TIMEOUT_MS);
  return { home, client: new SvcClient({ url, token: home.token(), ca: home.apiCa() }) };
}

/** Only an engine that keeps the state in the cluster can be attached to. */
function attachableEngine(name: string | undefined): EngineKind {
  if (name === undefined) throw new LauncherError('svc attach needs --engine kubernetes: the engine whose cluster holds the service', 'usage');
  let kind: EngineKind;
  try {
    kind = engineKind(name);
  } catch (e) {
    if (e instanceof EngineNotAvailable) throw new LauncherError(e.message, 'usage');
    throw e;
  }
  if (kind !== 'kubernetes') throw new LauncherError(`--engine ${kind}: a service on the ${kind} engine lives on one machine and cannot be attached from another; only --engine kubernetes`, 'usage');
  return kind;
}

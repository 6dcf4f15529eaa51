// The scheduler daemon: loads the service's spec and state, reconciles with the engine chosen at install,
// serves the API, and exits 0 once an uninstall has finished.
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ApiServer } from '../api/server.js';
import { createEngine, mirroredStateOf, shutdownEngine, useTargetSpec, type KubernetesSettings } from '../engine/registry.js';
import type { Engine } from '../engine/types.js';
import type { AgentSetting } from '../engine/types.js';
import type { RegistryAccess } from '../engine/local/registries.js';
import { taskIdPrefix } from '../scheduler/launch.js';
import { readTokenOf } from '../api/read-token.js';
import type { ServiceContext } from '../scheduler/service-context.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ServiceSpec } from '../spec/index.js';
import { chooseTarget } from '../scheduler/target.js';
import { FilePersister, StateStore, type Persister } from '../state/index.js';
import { readJsonFile, writeFileAtomic } from '../util/fs.js';
import { writePidFile } from '../util/process-ref.js';
import { ServiceHome, type ServiceInfo } from './home.js';
import { apiCertificate, secretSource } from '../secrets/index.js';
import { IssuedLedger, startRenewal } from '../tls/renewal.js';
import { packageService } from './package-service.js';
import { logPlanTransitions } from './plan-transitions.js';
import { taskBaseEnv } from './task-base-env.js';

export interface InstallOptions {
  /** Per-agent zone, region, attributes and resources, from `--agents-file`. */
  readonly agentSettings?: readonly AgentSetting[];
  readonly agents?: number;
  readonly agentCpus?: number;
  readonly agentMem?: number;
  /** Address the API listens on; loopback unless the operator asks otherwise. */
  readonly bind?: string;
  /** Seconds a task may keep failing before its pod is replaced elsewhere. */
  readonly permanentFailureTimeout?: number;
  /** Serve the API over HTTPS with a certificate from svc's CA. */
  readonly tls?: boolean;
  /** Serve the API over HTTPS with the operator's own certificate and key (PEM file paths). */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  /** The secret key file as resolved at install, so a later start from another shell finds the same key. */
  readonly secretKeyFile?: string;
  /** The API's port, chosen at install: the scheduler env's PORT0/PORT_API. */
  readonly apiPort?: number;
  /** The cluster, namespace and pod defaults of a service on the Kubernetes engine. */
  readonly kubernetes?: KubernetesSettings;
  /** Local engine: the auth files and plain-HTTP registries of its image pulls (paths only, no credentials). */
  readonly registries?: RegistryAccess;
}

/** An API server that does not answer does not keep a stopping scheduler alive. */
const SHUTDOWN_DEADLINE_MS = 5_000;

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} ${msg}\n`);

export async function runScheduler(dir: string): Promise<void> {
  const info = readJsonFile<ServiceInfo & { options?: InstallOptions }>(join(dir, 'service.json'));
  if (!info) throw new Error(`${dir} is not a service folder (no service.json)`);
  const home = new ServiceHome(dir, info.name);
  const candidate = JSON.parse(readFileSync(home.path('spec.json'), 'utf8')) as ServiceSpec;
  const keyEnv = info.options?.secretKeyFile ? { ...process.env, SVC_SECRET_KEY_FILE: info.options.secretKeyFile } : process.env;
  const ledger = new IssuedLedger(home.path('tls-issued.json'));
  const local = new FilePersister(home.path('state', 'state.json'));
  // a cluster engine is connected first: the state is read through its mirror (and seeded from it
  // when this home has none, on a machine that attached to a service already running there)
  const cluster = home.engine() === 'kubernetes' ? await createEngine('kubernetes', { root: dir, taskIdPrefix: taskIdPrefix(candidate.name), kubernetes: info.options?.kubernetes && { ...info.options.kubernetes, service: candidate.name, spec: candidate }, log, now: Date.now }) : undefined;
  if (cluster) {
    // the next scheduler (the supervisor's restart after an update, or one attached elsewhere) need not wait for the lease to expire
    const bounded = () => Promise.race([shutdownEngine(cluster), new Promise((r) => setTimeout(r, SHUTDOWN_DEADLINE_MS).unref())]);
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => void bounded().finally(() => process.exit(128 + (sig === 'SIGTERM' ? 15 : 2))));
  }
  const store = new StateStore(cluster ? await mirrored(cluster, local) : local);
  const { spec, configId, errors } = chooseTarget(store, candidate);
  for (const e of errors) log(e);
  if (cluster) useTargetSpec(cluster, spec);
  const engine = cluster ?? await createEngine(home.engine(), {
    root: dir,
    taskIdPrefix: taskIdPrefix(spec.name),
    agentSettings: info.options?.agentSettings,
    agentCount: info.options?.agents,
    agentCpus: info.options?.agentCpus,
    agentMem: info.options?.agentMem,
    taskUser: spec.scheduler.user,
    registries: info.options?.registries,
    baseEnv: taskBaseEnv(process.execPath),
    log,
  });
  let api: ApiServer | undefined;
  const context: ServiceContext = { schedulerEnv: readJsonFile<Record<string, string>>(home.path('scheduler-env.json')) ?? {} };
  const scheduler = new Scheduler({
    spec,
    configId,
    configErrors: errors,
    store,
    engine,
    newId: randomUUID,
    log,
    secrets: secretSource(dirname(dir), keyEnv, ledger),
    permanentFailureTimeoutMs: info.options?.permanentFailureTimeout ? info.options.permanentFailureTimeout * 1000 : undefined,
    context,
    onUninstalled: () => {
      scheduler.stop();
      rmSync(home.path('api.json'), { force: true });
      void api?.close().then(() => process.exit(0));
    },
  });
  if (home.uninstalling()) scheduler.startUninstall();
  const o = info.options;
  const tls = o?.tlsCert && o.tlsKey ? { cert: readFileSync(o.tlsCert, 'utf8'), key: readFileSync(o.tlsKey, 'utf8') } : o?.tls ? await apiCertificate(dirname(dir), spec.name, o.bind, keyEnv) : undefined;
  api = new ApiServer({ scheduler, cosmos: packageService(home, () => process.kill(process.pid, 'SIGTERM')), token: home.token(), host: info.options?.bind, port: info.options?.apiPort ?? portOf(home.apiUrl()), log, tls });
  const url = await api.listen();
  const listening = new URL(url);
  context.api = { host: listening.hostname.replace(/^\[|\]$/g, ''), port: Number(listening.port), readToken: readTokenOf(home.token()) };
  writeFileAtomic(home.path('api.json'), JSON.stringify({ url, pid: process.pid }));
  writePidFile(home.path('scheduler.pid'));
  log(`scheduler for ${spec.name} serving ${url} (config ${configId})`);
  startRenewal({ ledger, restart: (pod) => (home.uninstalling() ? Promise.resolve(null) : scheduler.killPod(pod, 'restart')), log, now: Date.now, everyMs: Number(process.env.SVC_TLS_RENEW_CHECK_MS) || 3_600_000 });
  await scheduler.start();
  logPlanTransitions(scheduler, log);
}

/** The local state through the engine's cluster mirror, seeded from the cluster when empty. */
async function mirrored(engine: Engine, local: FilePersister): Promise<Persister> {
  const m = mirroredStateOf(engine);
  if (!m) return local;
  if (local.keys('').length === 0) {
    const tree = await m.mirroredState();
    if (tree) {
      local.apply(Object.entries(tree).map(([key, value]) => ({ set: key, value })));
      log(`state restored from the cluster's mirror (${Object.keys(tree).length} keys)`);
    }
  }
  return (await m.mirrorState(local)).persister;
}

const portOf = (url: string | undefined): number | undefined => (url ? Number(new URL(url).port) || undefined : undefined);

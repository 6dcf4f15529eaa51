// The scheduler daemon: loads the service's spec and state, reconciles with the local engine,
// serves the API, and exits 0 once an uninstall has finished.
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiServer } from '../api/server.js';
import { LocalEngine, type AgentSetting } from '../engine/local/local-engine.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ServiceSpec } from '../spec/index.js';
import { chooseTarget } from '../scheduler/target.js';
import { FilePersister, StateStore } from '../state/index.js';
import { readJsonFile, writeFileAtomic } from '../util/fs.js';
import { ServiceHome, type ServiceInfo } from './home.js';

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
}

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} ${msg}\n`);

export async function runScheduler(dir: string): Promise<void> {
  const info = readJsonFile<ServiceInfo & { options?: InstallOptions }>(join(dir, 'service.json'));
  if (!info) throw new Error(`${dir} is not a service folder (no service.json)`);
  const home = new ServiceHome(dir, info.name);
  const candidate = JSON.parse(readFileSync(home.path('spec.json'), 'utf8')) as ServiceSpec;
  const store = new StateStore(new FilePersister(home.path('state', 'state.json')));
  const { spec, configId, errors } = chooseTarget(store, candidate);
  for (const e of errors) log(e);
  const engine = new LocalEngine({
    root: dir,
    // the executor bundle sits beside this code in dist/, whichever entry point loaded it
    executorScript: join(dirname(fileURLToPath(import.meta.url)), 'executor.js'),
    agentSettings: info.options?.agentSettings,
    agentCount: info.options?.agents,
    agentCpus: info.options?.agentCpus,
    agentMem: info.options?.agentMem,
    baseEnv: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', LANG: process.env.LANG ?? 'C.UTF-8' },
    log,
  });
  let api: ApiServer | undefined;
  const scheduler = new Scheduler({
    spec,
    configId,
    configErrors: errors,
    store,
    engine,
    newId: randomUUID,
    log,
    permanentFailureTimeoutMs: info.options?.permanentFailureTimeout ? info.options.permanentFailureTimeout * 1000 : undefined,
    onUninstalled: () => {
      scheduler.stop();
      rmSync(home.path('api.json'), { force: true });
      void api?.close().then(() => process.exit(0));
    },
  });
  if (home.uninstalling()) scheduler.startUninstall();
  api = new ApiServer({ scheduler, token: home.token(), host: info.options?.bind, port: portOf(home.apiUrl()), log });
  const url = await api.listen();
  writeFileAtomic(home.path('api.json'), JSON.stringify({ url, pid: process.pid }));
  writeFileAtomic(home.path('scheduler.pid'), String(process.pid));
  log(`scheduler for ${spec.name} serving ${url} (config ${configId})`);
  await scheduler.start();
}

const portOf = (url: string | undefined): number | undefined => (url ? Number(new URL(url).port) || undefined : undefined);

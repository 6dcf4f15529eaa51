// A simulated cluster with a scheduler core driving the Kubernetes engine in this process, built as
// the scheduler daemon builds it (src/launcher/scheduler-process.ts), for the walkthrough tests.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { createKubernetesEngine, type KubernetesEngine } from '../../src/engine/kubernetes/kubernetes-engine.js';
import { loadKubeClient } from '../../src/engine/kubernetes/load-client.js';
import type { StateMirror } from '../../src/engine/kubernetes/state-mirror.js';
import type { StatusUpdate } from '../../src/engine/types.js';
import { planStatus } from '../../src/plan/index.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { chooseTarget } from '../../src/scheduler/target.js';
import { loadServiceSpec } from '../../src/spec/index.js';
import { MemoryPersister, StateStore } from '../../src/state/index.js';
import { startKubeSim, type KubeSim, type SimNode } from '../support/kube-sim/index.js';

export const NAMESPACE = 'svc-test';

export const NODES: SimNode[] = [
  { name: 'node-1', ip: '127.0.3.1', zone: 'zone-a', region: 'r1', labels: { rack: 'r1' } },
  { name: 'node-2', ip: '127.0.3.2', zone: 'zone-b', region: 'r1', labels: { rack: 'r2' } },
  { name: 'node-3', ip: '127.0.3.3', zone: 'zone-c', region: 'r1', labels: { rack: 'r3' } },
];

export interface Cluster {
  readonly sim: KubeSim;
  readonly root: string;
  readonly core: CoreV1Api;
  readonly kc: KubeConfig;
  close(): Promise<void>;
}

export async function startCluster(nodes: readonly SimNode[] = NODES, badImages: readonly string[] = []): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), 'svc-k8s-'));
  const sim = await startKubeSim({ root, nodes, badImages });
  const k = await loadKubeClient();
  const kc = new k.KubeConfig();
  kc.loadFromFile(sim.kubeconfig);
  return {
    sim,
    root,
    kc,
    core: kc.makeApiClient(k.CoreV1Api),
    async close() {
      await sim.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface Running {
  readonly scheduler: Scheduler;
  readonly engine: KubernetesEngine;
  readonly store: StateStore;
  readonly logs: string[];
  /** Status updates the engine reported. */
  readonly updates: () => number;
  /** Every status update, in order. */
  readonly statuses: StatusUpdate[];
  readonly mirror?: StateMirror;
  /** Resolves once the uninstall plan has finished. */
  readonly uninstalled: Promise<void>;
}

export interface SchedulerOptions {
  /** Mirror the state into the cluster, starting from what a scheduler mirrored there before (`restore`). */
  readonly mirror?: { readonly restore: boolean };
}

export async function startScheduler(cluster: Cluster, specFile: string, given?: StateStore, o: SchedulerOptions = {}): Promise<Running> {
  const candidate = await loadServiceSpec(specFile);
  const logs: string[] = [];
  const log = (m: string) => logs.push(m);
  const engine = await createKubernetesEngine({ kubeconfig: cluster.sim.kubeconfig, namespace: NAMESPACE, service: candidate.name, defaultImage: 'busybox:1.36', spec: candidate, log, now: Date.now, unschedulableTimeoutMs: 3000 });
  let store = given ?? new StateStore(new MemoryPersister());
  let mirror: StateMirror | undefined;
  if (o.mirror) {
    const local = new MemoryPersister();
    const tree = o.mirror.restore ? await engine.mirroredState() : undefined;
    if (tree) local.apply(Object.entries(tree).map(([key, value]) => ({ set: key, value })));
    const mirrored = await engine.mirrorState(local);
    store = new StateStore(mirrored.persister);
    mirror = mirrored.mirror;
  }
  const { spec, configId } = chooseTarget(store, candidate);
  let updates = 0;
  const statuses: StatusUpdate[] = [];
  engine.onStatus((u) => {
    updates++;
    statuses.push(u);
  });
  let done: () => void = () => undefined;
  const uninstalled = new Promise<void>((r) => (done = r));
  // not an object literal: `now` is the clock of this branch's scheduler, an unknown key where it takes a Clock
  const deps = { spec, configId, store, engine, now: Date.now, newId: randomUUID, log, onUninstalled: () => done() };
  const scheduler = new Scheduler(deps);
  await scheduler.start(100);
  return { scheduler, engine, store, logs, updates: () => updates, statuses, mirror, uninstalled };
}

export async function until<T>(what: string, f: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000, logs?: readonly string[]): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${logs ? `\n${logs.slice(-30).join('\n')}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const deployed = (r: Running) => until('deploy COMPLETE', () => planStatus(r.scheduler.plan('deploy') as NonNullable<ReturnType<Scheduler['plan']>>) === 'COMPLETE', 30_000, r.logs);

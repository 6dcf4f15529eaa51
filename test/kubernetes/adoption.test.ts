// A scheduler that goes away and another that comes back for the same service: the Lease lets only
// one of them run, the new one adopts the pods that run (no relaunch), a watch that loses its
// place (410 Gone) re-lists, and a config update rolls the pods onto the new config.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesEngine, LeaseHeld } from '../../src/engine/kubernetes/kubernetes-engine.js';
import { loadKubeClient } from '../../src/engine/kubernetes/load-client.js';
import { leaseName, serviceSelector } from '../../src/engine/kubernetes/names.js';
import { MemoryPersister, StateStore } from '../../src/state/index.js';
import { type Cluster, deployed, NAMESPACE, type Running, startCluster, startScheduler, until } from './harness.js';

const HELLO = join(import.meta.dirname, '../../examples/hello-world/svc.yml');

let cluster: Cluster;
const store = new StateStore(new MemoryPersister());
let first: Running;

beforeAll(async () => {
  cluster = await startCluster();
  first = await startScheduler(cluster, HELLO, store);
  await deployed(first);
});
afterAll(async () => {
  await cluster?.close();
});

const engineOpts = () => ({ kubeconfig: cluster.sim.kubeconfig, namespace: NAMESPACE, service: 'hello-world', defaultImage: 'busybox:1.36', log: () => undefined, now: Date.now });
const podNames = async () => (await cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: serviceSelector('hello-world') })).items.map((p) => p.metadata?.name).sort();

describe('scheduler hand-over on the kubernetes engine', () => {
  let second: Running;

  it('refuses a second scheduler while the first holds the lease', async () => {
    await expect(createKubernetesEngine(engineOpts())).rejects.toThrow(LeaseHeld);
    await expect(createKubernetesEngine(engineOpts())).rejects.toThrow(/held by .* another scheduler of hello-world runs/);
  });

  it('adopts the running pods after the first scheduler stops: nothing relaunched', async () => {
    const pods = await podNames();
    const ids = store.tasks().map((t) => t.taskId).sort();
    const posts = () => cluster.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/pods')).length;
    const launched = posts();
    first.scheduler.stop();
    const k = await loadKubeClient();
    const coordination = cluster.kc.makeApiClient(k.CoordinationV1Api);
    await until('lease released', async () => !(await coordination.readNamespacedLease({ name: leaseName('hello-world'), namespace: NAMESPACE })).spec?.holderIdentity);
    second = await startScheduler(cluster, HELLO, store);
    await deployed(second);
    await until('statuses of the adopted tasks', () => store.tasks().every((t) => t.status?.state === 'TASK_RUNNING'));
    expect(store.tasks().map((t) => t.taskId).sort()).toEqual(ids);
    expect(await podNames()).toEqual(pods);
    expect(posts()).toBe(launched);
  });

  it('re-lists after a watch comes back to 410 Gone, and still sees pods die', async () => {
    const lists = () => cluster.sim.requests().filter((r) => r.method === 'GET' && r.path.endsWith('/pods') && !r.watch && r.labelSelector).length;
    const before = lists();
    cluster.sim.store.compact();
    cluster.sim.endWatches();
    await until('a re-list', () => lists() > before, 10_000, second.logs);
    const victim = store.task('hello-1-server');
    const [pod] = (await cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'svc/task=hello-1-server' })).items;
    await cluster.core.deleteNamespacedPod({ name: pod.metadata?.name as string, namespace: NAMESPACE, gracePeriodSeconds: 0 });
    await until('relaunched', () => {
      const t = store.task('hello-1-server');
      return t?.taskId !== victim?.taskId && t?.status?.state === 'TASK_RUNNING';
    }, 20_000, second.logs);
  });

  it('takes over a lease whose holder stopped renewing it', async () => {
    second.scheduler.stop();
    const k = await loadKubeClient();
    const coordination = cluster.kc.makeApiClient(k.CoordinationV1Api);
    const name = leaseName('hello-world');
    await until('lease released', async () => !(await coordination.readNamespacedLease({ name, namespace: NAMESPACE })).spec?.holderIdentity);
    const ghost = async (renewed: number) => {
      const cur = await coordination.readNamespacedLease({ name, namespace: NAMESPACE });
      await coordination.replaceNamespacedLease({ name, namespace: NAMESPACE, body: { ...cur, spec: { holderIdentity: 'ghost', leaseDurationSeconds: 15, renewTime: new Date(renewed) } } });
    };
    await ghost(Date.now());
    await expect(createKubernetesEngine(engineOpts())).rejects.toThrow(/held by ghost/);
    await ghost(Date.now() - 60_000);
    const engine = await createKubernetesEngine(engineOpts());
    expect((await coordination.readNamespacedLease({ name, namespace: NAMESPACE })).spec?.holderIdentity).not.toBe('ghost');
    engine.close();
  });

  // The statuses this engine reports at reconcile (every adopted task's, as a Mesos reconciliation
  // does) must not complete a step whose tasks run an older config: a step counts only tasks of
  // the target config.
  it('rolls a config update onto every pod, keeping each pod instance on its PVC', async () => {
    const k = await loadKubeClient();
    const coordination = cluster.kc.makeApiClient(k.CoordinationV1Api);
    await until('lease released', async () => !(await coordination.readNamespacedLease({ name: leaseName('hello-world'), namespace: NAMESPACE })).spec?.holderIdentity);
    const updated = join(cluster.root, 'hello-updated.yml');
    writeFileSync(updated, readFileSync(HELLO, 'utf8').replace('SLEEP_DURATION: 1000', 'SLEEP_DURATION: 1001'));
    const before = new Map(store.tasks().map((t) => [t.name, t]));
    const third = await startScheduler(cluster, updated, store);
    await deployed(third);
    await until('every task relaunched on the new config', () => store.tasks().every((t) => t.taskId !== before.get(t.name)?.taskId && t.status?.state === 'TASK_RUNNING' && t.env.SLEEP_DURATION === '1001'), 5_000, third.logs);
    for (const t of store.tasks()) expect(t.agentId).toBe(before.get(t.name)?.agentId);
    const claims = (await cluster.core.listNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, labelSelector: serviceSelector('hello-world') })).items;
    expect(claims).toHaveLength(2);
    third.scheduler.stop();
    await third.engine.sweep();
  });
});

// The scheduler's state mirrored into the cluster: a scheduler started on "another machine" (a fresh,
// empty local store) with the same kubeconfig restores the state from the cluster and adopts the
// running pods; a second writer is detected and stops the mirror.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateMirror, stateMirrorName } from '../../src/engine/kubernetes/state-mirror.js';
import { loadKubeClient } from '../../src/engine/kubernetes/load-client.js';
import { leaseName } from '../../src/engine/kubernetes/names.js';
import { MemoryPersister } from '../../src/state/index.js';
import { type Cluster, deployed, NAMESPACE, startCluster, startScheduler, until } from './harness.js';

const HELLO = join(import.meta.dirname, '../../examples/hello-world/svc.yml');

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.close();
});

describe('state mirrored into the cluster', () => {
  it('lets a scheduler with an empty local store take over the service, adopting its pods', async () => {
    const first = await startScheduler(cluster, HELLO, undefined, { mirror: { restore: false } });
    await deployed(first);
    await first.mirror?.flushed();
    const ids = first.store.tasks().map((t) => t.taskId).sort();
    const posts = () => cluster.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/pods')).length;
    const launched = posts();
    first.scheduler.stop();
    const k = await loadKubeClient();
    const coordination = cluster.kc.makeApiClient(k.CoordinationV1Api);
    await until('lease released', async () => !(await coordination.readNamespacedLease({ name: leaseName('hello-world'), namespace: NAMESPACE })).spec?.holderIdentity);

    const second = await startScheduler(cluster, HELLO, undefined, { mirror: { restore: true } });
    await deployed(second);
    expect(second.store.tasks().map((t) => t.taskId).sort()).toEqual(ids);
    expect(second.store.frameworkId()).toBe(first.store.frameworkId());
    await until('adopted tasks running', () => second.store.tasks().every((t) => t.status?.state === 'TASK_RUNNING'));
    expect(posts()).toBe(launched);
    second.scheduler.stop();
    await second.mirror?.flushed();
    await second.engine.sweep();
  });

  it('stops mirroring, loudly, when someone else wrote the mirror in between', async () => {
    const k = await loadKubeClient();
    const core = cluster.kc.makeApiClient(k.CoreV1Api);
    const logs: string[] = [];
    const local = new MemoryPersister();
    const a = new StateMirror(core, NAMESPACE, 'twice', local, (m) => logs.push(m));
    await a.attach();
    a.persister().apply([{ set: 'x', value: '1' }]);
    await a.flushed();
    const b = new StateMirror(core, NAMESPACE, 'twice', new MemoryPersister(), () => undefined);
    await b.attach();
    b.persister().apply([{ set: 'y', value: '2' }]);
    await b.flushed();
    a.persister().apply([{ set: 'x', value: '3' }]);
    await a.flushed();
    expect(logs.join('\n')).toMatch(/was written by someone else .*mirroring stops/);
    expect(local.get('x')).toBe('3');
    await core.deleteNamespacedConfigMap({ name: stateMirrorName('twice'), namespace: NAMESPACE });
  });
});

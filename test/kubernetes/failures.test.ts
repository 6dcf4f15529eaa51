// What goes wrong on a cluster, on the kubernetes engine: an image that cannot be pulled (ERROR),
// a pod the kube-scheduler keeps refusing (FAILED after the deadline), a decommission (pod and
// PVC gone), a followed log ended by its reader, and the spec fields refused before install.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceSelector } from '../../src/engine/kubernetes/names.js';
import { unsupportedFields } from '../../src/engine/kubernetes/support.js';
import { planStatus, type Plan } from '../../src/plan/index.js';
import { loadServiceSpec } from '../../src/spec/index.js';
import { MemoryPersister, StateStore } from '../../src/state/index.js';
import { type Cluster, deployed, NAMESPACE, startCluster, startScheduler, until } from './harness.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster(undefined, ['registry.example/missing:1']);
});
afterAll(async () => {
  await cluster?.close();
});

const spec = (name: string, text: string) => {
  const file = join(cluster.root, `${name}.yml`);
  writeFileSync(file, text);
  return file;
};
const one = (name: string, extra = '', task = '', cmd = 'echo up && exec sleep 1000') =>
  spec(name, `name: ${name}\npods:\n  app:\n    count: 1\n${extra}    tasks:\n      server:\n        goal: RUNNING\n        cmd: ${cmd}\n        cpus: 0.1\n        memory: 16\n${task}`);

describe('failures on the kubernetes engine', () => {
  it('an image that cannot be pulled is TASK_ERROR, and its pod is deleted', async () => {
    const r = await startScheduler(cluster, one('pull', '    image: registry.example/missing:1\n'));
    await until('TASK_ERROR', () => r.logs.some((l) => /app-0-server TASK_ERROR: ErrImagePull/.test(l)), 20_000, r.logs);
    const failedId = r.statuses.find((u) => u.status.state === 'TASK_ERROR')?.status.taskId as string;
    const uuid = failedId.slice(failedId.lastIndexOf('__') + 2);
    await until('the failed pod deleted', async () => (await cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `svc/task-id=${uuid}` })).items.length === 0, 20_000, r.logs);
    r.scheduler.stop();
    await r.engine.sweep();
  });

  it('a pod its node keeps refusing fails after the deadline and is placed again', async () => {
    const r = await startScheduler(cluster, one('cordon'));
    await deployed(r);
    const first = r.store.task('app-0-server');
    // the node is cordoned behind svc's back, and the task dies: its relaunch in place cannot be bound
    const cur = await cluster.core.readNode({ name: first?.agentId as string });
    await cluster.core.replaceNode({ name: first?.agentId as string, body: { ...cur, spec: { ...cur.spec, unschedulable: true } } });
    const [pod] = (await cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: serviceSelector('cordon') })).items;
    await cluster.core.deleteNamespacedPod({ name: pod.metadata?.name as string, namespace: NAMESPACE, gracePeriodSeconds: 0 });
    await until('FAILED: could not be scheduled', () => r.logs.some((l) => /app-0-server TASK_FAILED: pod \S+ could not be scheduled within 3 s: .*unschedulable/.test(l)), 20_000, r.logs);
    const again = await cluster.core.readNode({ name: first?.agentId as string });
    await cluster.core.replaceNode({ name: first?.agentId as string, body: { ...again, spec: { ...again.spec, unschedulable: false } } });
    await until('running again', () => r.store.task('app-0-server')?.status?.state === 'TASK_RUNNING', 30_000, r.logs);
    r.scheduler.stop();
    await r.engine.sweep();
  });

  it('decommissions a pod instance: its pod and its PVC are deleted', async () => {
    const store = new StateStore(new MemoryPersister());
    const two = (count: number) => spec(`decom${count}`, `name: decom\npods:\n  app:\n    count: ${count}\n    allow-decommission: true\n    tasks:\n      server:\n        goal: RUNNING\n        cmd: exec sleep 1000\n        cpus: 0.1\n        memory: 16\n        volume:\n          path: data\n          type: ROOT\n          size: 16\n`);
    const r = await startScheduler(cluster, two(2), store);
    await deployed(r);
    r.scheduler.stop();
    const sel = { namespace: NAMESPACE, labelSelector: serviceSelector('decom') };
    expect((await cluster.core.listNamespacedPersistentVolumeClaim(sel)).items).toHaveLength(2);
    // the lease of the stopped scheduler is released on close; the next one waits for that
    await until('lease released', async () => {
      try {
        const s = await startScheduler(cluster, two(1), store);
        return s;
      } catch {
        return undefined;
      }
    }).then(async (s) => {
      await until('decommission COMPLETE', () => {
        const plan = s.scheduler.plan('decommission') as Plan | undefined;
        return !plan || planStatus(plan) === 'COMPLETE';
      }, 20_000, s.logs);
      await until('one pod and one PVC left', async () => (await cluster.core.listNamespacedPod(sel)).items.length === 1 && (await cluster.core.listNamespacedPersistentVolumeClaim(sel)).items.length === 1, 20_000, s.logs);
      expect((await cluster.core.listNamespacedPod(sel)).items[0].metadata?.labels?.['svc/pod-instance']).toBe('app-0');
      s.scheduler.stop();
      await s.engine.sweep();
    });
  });

  it('follows a log until its reader aborts', async () => {
    const r = await startScheduler(cluster, one('follow', '', '', 'while true; do echo tick; sleep 0.1; done'));
    await deployed(r);
    const t = r.store.task('app-0-server');
    const ctl = new AbortController();
    const deadline = setTimeout(() => ctl.abort(), 10_000);
    let text = '';
    for await (const chunk of r.engine.logs({ reservationId: '', name: 'app-0-server', taskId: t?.taskId as string, env: {} }, { stream: 'stdout', follow: true, signal: ctl.signal })) {
      text += chunk;
      if ((text.match(/tick/g) ?? []).length >= 3) ctl.abort();
    }
    clearTimeout(deadline);
    expect(text).toMatch(/^(tick\n){3,}/);
    r.scheduler.stop();
    await r.engine.sweep();
  });

  it('refuses spec fields it cannot run, with their YAML path', async () => {
    const file = one('refused', '    uris:\n      - https://example.com/app.tgz\n', '        gpus: 1\n');
    const issues = unsupportedFields(await loadServiceSpec(file));
    expect(issues.map((i) => i.path)).toEqual(['pods.app.uris', 'pods.app.tasks.server.gpus']);
    expect(issues[0].message).toMatch(/^not supported by the kubernetes engine: fetching uris/);
  });
});

// The simulated cluster itself, driven through the official client: what svc's Kubernetes engine
// relies on must behave as a real API server does (wire format, watch resume and 410, 409,
// pods/log, pods/exec over WebSocket, the kubelet's phases), and hostile requests are refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import { loadKubeClient, type KubeClient } from '../../src/engine/kubernetes/load-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../support/kube-sim/index.js';

let sim: KubeSim;
let root: string;
let kc: KubeConfig;
let core: CoreV1Api;
let k: KubeClient;
const ns = 'default';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kube-sim-'));
  sim = await startKubeSim({ root, nodes: [{ name: 'node-a', ip: '127.0.0.1', zone: 'z1' }, { name: 'node-b', ip: '127.0.0.1', zone: 'z2' }], badImages: ['nope:1'], historyLimit: 50 });
  k = await loadKubeClient();
  kc = new k.KubeConfig();
  kc.loadFromFile(sim.kubeconfig);
  core = kc.makeApiClient(k.CoreV1Api);
});

afterAll(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pod = (name: string, cmd: string, extra: Partial<V1Pod['spec']> = {}): V1Pod => ({
  metadata: { name, labels: { app: 'sim-test' } },
  spec: {
    restartPolicy: 'Never',
    nodeName: 'node-a',
    volumes: [{ name: 'sandbox', emptyDir: {} }],
    containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', cmd], workingDir: '/sandbox', volumeMounts: [{ name: 'sandbox', mountPath: '/sandbox' }], env: [{ name: 'DIR', value: '/sandbox/x' }] }],
    ...extra,
  } as V1Pod['spec'],
});

const phase = async (name: string) => (await core.readNamespacedPod({ name, namespace: ns })).status?.phase;

describe('kube-sim', () => {
  it('lists nodes with their topology labels and allocatable resources', async () => {
    const nodes = await core.listNode();
    expect(nodes.items.map((n) => [n.metadata?.name, n.metadata?.labels?.['topology.kubernetes.io/zone'], n.status?.allocatable?.cpu])).toEqual([
      ['node-a', 'z1', '4'],
      ['node-b', 'z2', '4'],
    ]);
  });

  it('runs a pod to Succeeded in its working dir, rewriting env paths, with its log', async () => {
    await core.createNamespacedPod({ namespace: ns, body: pod('ok', 'echo "in $(basename $PWD)" && echo $DIR | grep -q /volumes/sandbox/x && echo done') });
    expect(await until('Succeeded', async () => ((await phase('ok')) === 'Succeeded' ? true : undefined))).toBe(true);
    const out = new PassThrough();
    let text = '';
    out.on('data', (d) => (text += d));
    await new k.Log(kc).log(ns, 'ok', 'main', out, { follow: false });
    await until('log', () => (text.includes('done') ? true : undefined));
    expect(text).toBe('in sandbox\ndone\n');
  });

  it('reports Failed with the exit code, and ErrImagePull for an image that cannot be pulled', async () => {
    await core.createNamespacedPod({ namespace: ns, body: pod('bad', 'exit 3') });
    await until('Failed', async () => ((await phase('bad')) === 'Failed' ? true : undefined));
    const p = await core.readNamespacedPod({ name: 'bad', namespace: ns });
    expect(p.status?.containerStatuses?.[0].state?.terminated?.exitCode).toBe(3);
    const img = pod('img', 'true');
    (img.spec as NonNullable<V1Pod['spec']>).containers[0].image = 'nope:1';
    await core.createNamespacedPod({ namespace: ns, body: img });
    const waiting = await until('ErrImagePull', async () => (await core.readNamespacedPod({ name: 'img', namespace: ns })).status?.containerStatuses?.[0].state?.waiting?.reason);
    expect(waiting).toBe('ErrImagePull');
  });

  it('becomes Ready after its readiness probe passes, and deletes with grace (SIGTERM first)', async () => {
    const body = pod('ready', "trap 'echo term; exit 0' TERM; while true; do sleep 0.05; done", {});
    const c = (body.spec as NonNullable<V1Pod['spec']>).containers[0];
    c.readinessProbe = { exec: { command: ['sh', '-c', 'test -f go'] }, periodSeconds: 1 };
    await core.createNamespacedPod({ namespace: ns, body });
    await until('Running', async () => ((await phase('ready')) === 'Running' ? true : undefined));
    const ready = async () => (await core.readNamespacedPod({ name: 'ready', namespace: ns })).status?.conditions?.find((x) => x.type === 'Ready')?.status;
    expect(await ready()).toBe('False');
    const exec = await runExec('ready', ['sh', '-c', 'touch go; echo made >&2; exit 4']);
    expect(exec).toEqual({ stdout: '', stderr: 'made\n', status: 'Failure', code: '4' });
    await until('Ready', async () => ((await ready()) === 'True' ? true : undefined));
    const deleted = await core.deleteNamespacedPod({ name: 'ready', namespace: ns, gracePeriodSeconds: 5 });
    expect(deleted.metadata?.deletionTimestamp).toBeTruthy();
    await until('gone', async () => ((await core.listNamespacedPod({ namespace: ns, fieldSelector: 'metadata.name=ready' })).items.length === 0 ? true : undefined));
  });

  it('streams watch events from a resourceVersion, and answers 410 Gone for one too old', async () => {
    const list = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=sim-test' });
    const rv = list.metadata?.resourceVersion as string;
    const events: string[] = [];
    const w = new k.Watch(kc);
    const ctl = await w.watch(`/api/v1/namespaces/${ns}/pods`, { labelSelector: 'app=sim-test', resourceVersion: rv }, (type, obj: V1Pod) => events.push(`${type} ${obj.metadata?.name} ${obj.status?.phase}`), () => undefined);
    await core.createNamespacedPod({ namespace: ns, body: pod('watched', 'true') });
    await until('Succeeded event', () => (events.includes('MODIFIED watched Succeeded') ? true : undefined));
    expect(events[0]).toBe('ADDED watched Pending');
    ctl.abort();
    sim.store.compact();
    const errors: Array<{ type: string; code?: number }> = [];
    await new Promise<void>((resolve) => {
      void w.watch(`/api/v1/namespaces/${ns}/pods`, { resourceVersion: rv }, (type, obj: { code?: number }) => errors.push({ type, code: obj.code }), () => resolve());
    });
    expect(errors).toEqual([{ type: 'ERROR', code: 410 }]);
  });

  it('refuses a stale resourceVersion with 409 (leases, config maps)', async () => {
    const co = kc.makeApiClient(k.CoordinationV1Api);
    const lease = await co.createNamespacedLease({ namespace: ns, body: { metadata: { name: 'l' }, spec: { holderIdentity: 'a' } } });
    await co.replaceNamespacedLease({ name: 'l', namespace: ns, body: { ...lease, spec: { holderIdentity: 'b' } } });
    await expect(co.replaceNamespacedLease({ name: 'l', namespace: ns, body: { ...lease, spec: { holderIdentity: 'c' } } })).rejects.toMatchObject({ code: 409 });
    await expect(co.createNamespacedLease({ namespace: ns, body: { metadata: { name: 'l' } } })).rejects.toMatchObject({ code: 409 });
  });

  it('refuses requests without the token, hostile names and selectors, and unknown paths', async () => {
    const anon = await fetch(`${sim.url}/api/v1/nodes`);
    expect(anon.status).toBe(401);
    const auth = { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' };
    const bad = await fetch(`${sim.url}/api/v1/namespaces/${ns}/configmaps`, { method: 'POST', headers: auth, body: JSON.stringify({ metadata: { name: '../etc' } }) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { reason: string }).reason).toBe('Invalid');
    expect((await fetch(`${sim.url}/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent('a=b;rm')}`, { headers: auth })).status).toBe(400);
    expect((await fetch(`${sim.url}/api/v1/namespaces/..%2f/pods`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${sim.url}/api/v1/namespaces/${ns}/widgets`, { headers: auth })).status).toBe(404);
    const cm = await fetch(`${sim.url}/api/v1/namespaces/${ns}/configmaps`, { method: 'POST', headers: auth, body: JSON.stringify({ metadata: { name: 'c' }, data: { k: 'v' } }) });
    expect(cm.status).toBe(201);
    const jsonPatch = await fetch(`${sim.url}/api/v1/namespaces/${ns}/configmaps/c`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json-patch+json' }, body: '[]' });
    expect(jsonPatch.status).toBe(415);
  });

  it('takes a node down: NotReady, its pods evicted and their processes gone', async () => {
    await core.createNamespacedPod({ namespace: ns, body: pod('doomed', 'exec sleep 100') });
    await until('Running', async () => ((await phase('doomed')) === 'Running' ? true : undefined));
    sim.kubelet.setNodeReady('node-a', false);
    await until('evicted', async () => ((await core.listNamespacedPod({ namespace: ns, fieldSelector: 'metadata.name=doomed' })).items.length === 0 ? true : undefined));
    const node = await core.readNode({ name: 'node-a' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    await until('no process', () => (sim.kubelet.processes().length === 0 ? true : undefined));
    sim.kubelet.setNodeReady('node-a', true);
  });
});

async function runExec(name: string, command: string[]): Promise<{ stdout: string; stderr: string; status?: string; code?: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    new k.Exec(kc)
      .exec(ns, name, 'main', command, out, err, null, false, (s) => resolve({ stdout, stderr, status: s.status, code: s.details?.causes?.[0]?.message }))
      .catch(reject);
  });
}

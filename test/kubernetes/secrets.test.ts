// Secrets on the kubernetes engine: a launch's secret env values and secret files (a mode, or
// binary content) go into a Kubernetes Secret of the pod, never into its spec or ConfigMap; the
// task sees them; the Secret goes with the pod. Driven at the engine boundary, as a scheduler with
// a secret store launches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesEngine, type KubernetesEngine } from '../../src/engine/kubernetes/kubernetes-engine.js';
import type { PodLaunch, StatusUpdate, TaskLaunch } from '../../src/engine/types.js';
import { type Cluster, NAMESPACE, startCluster, until } from './harness.js';

let cluster: Cluster;
let engine: KubernetesEngine;
const updates: StatusUpdate[] = [];
beforeAll(async () => {
  cluster = await startCluster();
  engine = await createKubernetesEngine({ kubeconfig: cluster.sim.kubeconfig, namespace: NAMESPACE, service: 'vault', defaultImage: 'busybox', log: () => undefined, now: Date.now });
  engine.onStatus((u) => updates.push(u));
  await engine.reconcile([]);
});
afterAll(async () => {
  await engine?.sweep();
  engine?.close();
  await cluster?.close();
});

async function readAll(s: AsyncIterable<string | Buffer> | null): Promise<string> {
  let out = '';
  for await (const c of s ?? []) out += c;
  return out;
}

describe('secrets on the kubernetes engine', () => {
  it('delivers secret env and files through a Secret, and deletes it with the pod', async () => {
    const res = await engine.reserve({ agentId: 'node-1', podInstance: 'app-0', cpus: 0.1, mem: 32, disk: 0, volumes: [], ports: [] });
    // a secret file as the boundary's SandboxFile has it: binary content, a mode
    const keyFile = { path: 'key.pem', content: Buffer.from('-----KEY-----\n').toString('base64'), encoding: 'base64', mode: 0o400 };
    const task = {
      taskId: 'vault__app-0-server__s1',
      name: 'app-0-server',
      cmd: 'echo "$TOKEN" > out && cat key.pem >> out && stat -L -c %a key.pem >> out && exec sleep 1000',
      env: { TASK_NAME: 'app-0-server' },
      volumeMounts: [],
      files: [keyFile],
      secretEnv: { TOKEN: 's3cr3t' },
      uris: [],
      memoryMb: 32,
      rlimits: [],
      killGracePeriod: 0,
    } as TaskLaunch;
    await engine.launch({ podInstance: 'app-0', reservationId: res.id, tasks: [task] } as PodLaunch);
    await until('RUNNING', () => updates.some((u) => u.status.taskId === task.taskId && u.status.state === 'TASK_RUNNING'));
    const s = engine.exec({ reservationId: res.id, name: task.name, taskId: task.taskId, env: {} }, { cmd: 'cat', args: ['out'] }, { tty: false, stdin: 'none' });
    const [out, code] = await Promise.all([readAll(s.stdout), s.exit]);
    expect({ out, code }).toEqual({ out: 's3cr3t\n-----KEY-----\n400\n', code: 0 });
    const [pod] = (await cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: 'svc/service=vault' })).items;
    expect(JSON.stringify(pod.spec)).not.toContain('s3cr3t');
    const cms = (await cluster.core.listNamespacedConfigMap({ namespace: NAMESPACE, labelSelector: 'svc/service=vault' })).items;
    expect(JSON.stringify(cms)).not.toContain(Buffer.from('-----KEY-----\n').toString('base64'));
    const secret = await cluster.core.readNamespacedSecret({ name: pod.metadata?.name as string, namespace: NAMESPACE });
    expect(secret.metadata?.labels?.['svc/task']).toBe('app-0-server');
    await engine.kill('app-0', task.name, 0);
    await until('KILLED', () => updates.some((u) => u.status.taskId === task.taskId && u.status.state === 'TASK_KILLED'));
    await until('the Secret deleted with its pod', async () => (await cluster.core.listNamespacedSecret({ namespace: NAMESPACE, labelSelector: 'svc/service=vault' })).items.length === 0);
  });
});

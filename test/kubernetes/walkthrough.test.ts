// The local engine's walkthroughs, on the Kubernetes engine against the simulated cluster: deploy,
// kill of a task's pod and its relaunch in place, exec and logs through the API, replace onto
// another node with a new PVC, a node lost, and an uninstall that leaves no labelled object.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesEngine } from '../../src/engine/kubernetes/kubernetes-engine.js';
import { serviceSelector } from '../../src/engine/kubernetes/names.js';
import { planStatus } from '../../src/plan/index.js';
import { type Cluster, deployed, NAMESPACE, type Running, startCluster, startScheduler, until } from './harness.js';

const HELLO = join(import.meta.dirname, '../../examples/hello-world/svc.yml');
const WEB = join(import.meta.dirname, 'fixtures/web.yml');

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => {
  await cluster?.close();
});

const podsOf = async (service: string) => (await cluster.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: serviceSelector(service) })).items;
const pvcDir = (claim: string) => join(cluster.root, 'pvcs', NAMESPACE, claim);

/** `sleep 300` processes an exec started in this cluster's pods (by their working dir). */
async function execCount(): Promise<number> {
  const { execFileSync } = await import('node:child_process');
  const { readlinkSync } = await import('node:fs');
  let pids: string[];
  try {
    pids = execFileSync('pgrep', ['-f', '^sleep 300$'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return 0;
  }
  return pids.filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`).startsWith(cluster.root);
    } catch {
      return false;
    }
  }).length;
}

async function readAll(it: AsyncIterable<string>): Promise<string> {
  let s = '';
  for await (const c of it) s += c;
  return s;
}

describe('connecting', () => {
  const opts = () => ({ kubeconfig: cluster.sim.kubeconfig, namespace: NAMESPACE, service: 'x', defaultImage: 'busybox', log: () => undefined, now: Date.now });
  it('refuses a namespace that is not a name, a context the kubeconfig lacks, and a wrong token', async () => {
    await expect(createKubernetesEngine({ ...opts(), namespace: '../kube-system' })).rejects.toThrow(/--namespace \.\.\/kube-system: not a namespace name/);
    await expect(createKubernetesEngine({ ...opts(), context: 'prod' })).rejects.toThrow(/--context prod: no such context in the kubeconfig \(has: sim\)/);
    const forged = join(cluster.root, 'forged-kubeconfig');
    writeFileSync(forged, readFileSync(cluster.sim.kubeconfig, 'utf8').replace(/token: \S+/, 'token: forged'));
    await expect(createKubernetesEngine({ ...opts(), kubeconfig: forged })).rejects.toMatchObject({ code: 401 });
  });
});

describe('hello-world on the kubernetes engine', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startScheduler(cluster, HELLO);
  });

  it('deploys: one pod per task, pinned to its node, labelled, with its volume a PVC', async () => {
    await deployed(r);
    const pods = await podsOf('hello-world');
    expect(pods.map((p) => p.metadata?.labels?.['svc/task']).sort()).toEqual(['hello-0-server', 'hello-1-server']);
    for (const p of pods) {
      expect(p.status?.phase).toBe('Running');
      expect(p.spec?.restartPolicy).toBe('Never');
      const term = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0].matchFields?.[0];
      expect(term?.values).toEqual([p.spec?.nodeName]);
      const rec = r.store.task(p.metadata?.labels?.['svc/task'] as string);
      expect(rec?.agentId).toBe(p.spec?.nodeName);
      const claim = p.spec?.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName as string;
      await until('hello written', () => {
        try {
          return readFileSync(join(pvcDir(claim), 'output'), 'utf8') === 'hello\n';
        } catch {
          return false;
        }
      });
    }
  });

  it('relaunches a task whose pod was deleted behind its back, in place, on the same PVC', async () => {
    const [victim] = (await podsOf('hello-world')).filter((p) => p.metadata?.labels?.['svc/task'] === 'hello-0-server');
    const before = r.store.task('hello-0-server');
    await cluster.core.deleteNamespacedPod({ name: victim.metadata?.name as string, namespace: NAMESPACE, gracePeriodSeconds: 0 });
    const after = await until('relaunch', () => {
      const t = r.store.task('hello-0-server');
      return t && t.taskId !== before?.taskId && t.status?.state === 'TASK_RUNNING' ? t : undefined;
    }, 20_000, r.logs);
    expect(after.agentId).toBe(before?.agentId);
    expect(r.logs.some((l) => l.includes('hello-0-server TASK_LOST'))).toBe(true);
    const claim = victim.spec?.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName as string;
    await until('second hello on the same volume', () => {
      try {
        return readFileSync(join(pvcDir(claim), 'output'), 'utf8') === 'hello\nhello\n';
      } catch {
        return false;
      }
    });
  });

  it('runs a command in a task through pods/exec, with its exit status', async () => {
    const t = r.store.task('hello-1-server');
    const ref = { reservationId: r.store.pod('hello-1')?.reservationId as string, name: 'hello-1-server', taskId: t?.taskId as string, env: t?.env ?? {} };
    const s = r.engine.exec(ref, { cmd: 'cat', args: ['hello-container-path/output'] }, { tty: false, stdin: 'none' });
    const [out, code] = await Promise.all([readAll(s.stdout as AsyncIterable<string>), s.exit]);
    expect({ out: String(out), code }).toEqual({ out: 'hello\n', code: 0 });
    const failing = r.engine.exec(ref, { cmd: 'sh', args: ['-c', 'echo oops >&2; exit 3'] }, { tty: false, stdin: 'none' });
    const [err, failed] = await Promise.all([readAll(failing.stderr as AsyncIterable<string>), failing.exit]);
    expect({ err: String(err), failed }).toEqual({ err: 'oops\n', failed: 3 });
    const missing = r.engine.exec(ref, { cmd: 'no-such-command', args: [] }, { tty: false, stdin: 'none' });
    expect(await missing.exit).toBe(127);
    // the client goes away: the exec's processes end with the connection
    const before = cluster.sim.kubelet.processes().length;
    const long = r.engine.exec(ref, { cmd: 'sleep', args: ['300'] }, { tty: false, stdin: 'none' });
    await until('the exec runs', async () => (await execCount()) > 0);
    long.kill();
    expect(await long.exit).toBe(137);
    await until('the exec process gone', async () => (await execCount()) === 0);
    expect(cluster.sim.kubelet.processes().length).toBe(before);
    await expect(r.engine.exec({ ...ref, taskId: 'hello-world__hello-1-server__nope' }, { cmd: 'true', args: [] }, { tty: false, stdin: 'none' }).exit).rejects.toThrow(/has no pod/);
  });

  it('replaces a pod onto another node, with a new PVC, the old one deleted', async () => {
    const old = r.store.pod('hello-0');
    const [oldPod] = (await podsOf('hello-world')).filter((p) => p.metadata?.labels?.['svc/task'] === 'hello-0-server');
    const oldClaim = oldPod.spec?.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName as string;
    await r.scheduler.killPod('hello-0', 'replace');
    const moved = await until('hello-0 on another node, running', () => {
      const p = r.store.pod('hello-0');
      const t = r.store.task('hello-0-server');
      return p && p.reservationId !== old?.reservationId && t?.status?.state === 'TASK_RUNNING' ? p : undefined;
    }, 20_000, r.logs);
    expect(moved.agentId).not.toBe(old?.agentId);
    const claims = (await cluster.core.listNamespacedPersistentVolumeClaim({ namespace: NAMESPACE, labelSelector: serviceSelector('hello-world') })).items.map((c) => c.metadata?.name);
    expect(claims).not.toContain(oldClaim);
    expect(claims).toHaveLength(2);
    const [newPod] = (await podsOf('hello-world')).filter((p) => p.metadata?.labels?.['svc/task'] === 'hello-0-server' && !p.metadata?.deletionTimestamp);
    const claim = newPod.spec?.volumes?.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName as string;
    await until('a fresh volume with one hello', () => {
      try {
        return readFileSync(join(pvcDir(claim), 'output'), 'utf8') === 'hello\n';
      } catch {
        return false;
      }
    });
  });

  it('uninstalls: no labelled object left, no process left', async () => {
    r.scheduler.startUninstall();
    await until('uninstalled', () => r.uninstalled.then(() => true), 30_000, r.logs);
    r.scheduler.stop();
    await r.engine.sweep();
    const sel = { namespace: NAMESPACE, labelSelector: serviceSelector('hello-world') };
    expect((await cluster.core.listNamespacedPod(sel)).items).toEqual([]);
    expect((await cluster.core.listNamespacedPersistentVolumeClaim(sel)).items).toEqual([]);
    expect((await cluster.core.listNamespacedConfigMap(sel)).items).toEqual([]);
    expect((await cluster.core.listNamespacedSecret(sel)).items).toEqual([]);
    await until('no container process', () => cluster.sim.kubelet.processes().length === 0);
  });
});

describe('config templates, ports, readiness and placement on the kubernetes engine', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startScheduler(cluster, WEB);
  });
  afterAll(async () => {
    r?.scheduler.stop();
    await r?.engine.sweep();
  });

  it('renders templates into a ConfigMap, exposes the port as a hostPort, waits for Ready, one per node', async () => {
    await deployed(r);
    const pods = await podsOf('web');
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(2);
    for (const p of pods) {
      const task = p.metadata?.labels?.['svc/task'] as string;
      const port = r.store.pod(task.replace(/-server$/, ''))?.ports.http;
      expect(p.spec?.containers[0].ports).toEqual([{ containerPort: port, hostPort: port, protocol: 'TCP' }]);
      expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(r.store.task(task)?.status?.ready).toBe(true);
      const t = r.store.task(task);
      const log = await readAll(r.engine.logs({ reservationId: '', name: task, taskId: t?.taskId as string, env: {} }, { stream: 'stdout', follow: false }));
      expect(log).toContain(`started ${task} on port ${port}`);
      expect(log).toContain(`hello from ${task} in /mnt/mesos/sandbox`);
    }
    expect(() => r.engine.logs({ reservationId: '', name: 'web-0-server', taskId: r.store.task('web-0-server')?.taskId as string, env: {} }, { stream: 'stderr', follow: false })).toThrow(/not supported/);
  });

  it('reports a task LOST when its node goes NotReady, and recovery waits for the node', async () => {
    await deployed(r);
    const t = r.store.task('web-1-server');
    cluster.sim.kubelet.setNodeReady(t?.agentId as string, false);
    await until('LOST', () => r.logs.some((l) => l.includes('web-1-server TASK_LOST')), 20_000, r.logs);
    expect(r.engine.agents().map((a) => a.id)).not.toContain(t?.agentId);
    cluster.sim.kubelet.setNodeReady(t?.agentId as string, true);
    await until('running again', () => {
      const now = r.store.task('web-1-server');
      return now?.taskId !== t?.taskId && now?.status?.state === 'TASK_RUNNING';
    }, 20_000, r.logs);
    // the step completes once the relaunched pod is Ready again
    await until('recovery COMPLETE', () => planStatus(r.scheduler.plan('recovery') as NonNullable<ReturnType<typeof r.scheduler.plan>>) === 'COMPLETE', 20_000, r.logs);
  });
});

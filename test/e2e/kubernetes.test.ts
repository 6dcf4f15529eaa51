// The real `svc` binary on the Kubernetes engine, against the simulated API server and kubelet
// (test/support/kube-sim): install reaches COMPLETE with every task a pod, pod status and a
// non-interactive task exec go through the scheduler's API (pods/exec), `svc attach` on a fresh
// SVC_HOME after kill -9 of the first machine's supervisor and scheduler adopts the running pods
// without relaunching them, and uninstall leaves nothing labelled with the service.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeSim, type KubeSim } from '../support/kube-sim/index.js';
import type { KubeObject } from '../support/kube-sim/store.js';
import { killIfAlive, pidAlive, ROOT, runSvc, tempHome, waitFor } from './helpers.js';

const NS = 't';
const SERVICE = 'hello-world';
const RESOURCES = ['pods', 'persistentvolumeclaims', 'configmaps', 'secrets', 'leases'];

const first = tempHome();
const second = tempHome();
const simRoot = mkdtempSync(join(tmpdir(), 'svc-e2e-kube-'));
let sim: KubeSim;

const svcIn = (home: { env: Record<string, string> }) => (...args: string[]) => runSvc(args, home.env, 90_000);
const labelled = (resource: string): KubeObject[] => sim.store.list(resource, NS).filter((o) => o.metadata.labels?.['svc/service'] === SERVICE);
const pods = () => labelled('pods').filter((p) => !p.metadata.deletionTimestamp);
const podIds = () => pods().map((p) => `${p.metadata.name}/${p.metadata.uid}`).sort();
const podCreates = () => sim.requests().filter((r) => r.method === 'POST' && r.path === `/api/v1/namespaces/${NS}/pods`).length;

async function deployStatus(svc: (...a: string[]) => ReturnType<typeof runSvc>): Promise<string | undefined> {
  const r = await svc('plan', 'show', 'deploy', '--json');
  return r.code === 0 ? (JSON.parse(r.stdout) as { status: string }).status : undefined;
}

describe('svc on the kubernetes engine (simulated cluster)', () => {
  beforeAll(async () => {
    sim = await startKubeSim({
      root: simRoot,
      nodes: [
        { name: 'node-1', ip: '127.0.4.1', zone: 'zone-a', region: 'r1' },
        { name: 'node-2', ip: '127.0.4.2', zone: 'zone-b', region: 'r1' },
      ],
    });
  });
  afterAll(async () => {
    await svcIn(second)('uninstall', SERVICE, '--yes').catch(() => undefined);
    first.cleanup();
    second.cleanup();
    await sim?.close();
    rmSync(simRoot, { recursive: true, force: true });
  });

  it('installs hello-world: deploy COMPLETE, each task a pod on a node, each volume a PVC', async () => {
    const svc = svcIn(first);
    const r = await svc('install', join(ROOT, 'examples/hello-world'), '--engine', 'kubernetes', '--kubeconfig', sim.kubeconfig, '--namespace', NS);
    expect(r.stderr).toContain('service hello-world installed');
    expect(r.code).toBe(0);
    expect(await deployStatus(svc)).toBe('COMPLETE');
    const running = pods();
    expect(running.map((p) => p.metadata.labels?.['svc/task']).sort()).toEqual(['hello-0-server', 'hello-1-server']);
    expect(running.every((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running')).toBe(true);
    expect(labelled('persistentvolumeclaims')).toHaveLength(2);
    // the scheduler holds the service's lease and mirrors its state into the namespace
    expect(labelled('leases')).toHaveLength(1);
    await waitFor('state mirrored', () => labelled('configmaps').some((c) => c.metadata.name === `${SERVICE}-svc-state`));
  });

  it('svc pod status and a non-interactive task exec go through the API to the pod', async () => {
    const svc = svcIn(first);
    const status = await svc('pod', 'status', 'hello-0', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ name: 'hello-0', tasks: [{ name: 'hello-0-server', status: 'RUNNING' }] });
    const exec = await svc('task', 'exec', 'hello-0-server', 'cat', 'hello-container-path/output');
    expect(exec).toMatchObject({ code: 0, stdout: 'hello\n' });
    const failing = await svc('task', 'exec', 'hello-1-server', 'sh', '-c', 'echo oops >&2; exit 3');
    expect(failing).toMatchObject({ code: 3, stderr: expect.stringContaining('oops') });
  });

  it('a scheduler stopped with SIGTERM gives its lease up: the one the supervisor restarts serves at once, adopting the pods', async () => {
    const svc = svcIn(first);
    const before = podIds();
    const createsBefore = podCreates();
    const pidFile = join(first.home, SERVICE, 'scheduler.pid');
    const old = Number(readFileSync(pidFile, 'utf8'));
    const stoppedAt = Date.now();
    process.kill(old, 'SIGTERM');
    const restarted = await waitFor('restarted scheduler', () => {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      return pid !== old && pidAlive(pid) ? pid : undefined;
    });
    expect(restarted).not.toBe(old);
    await waitFor('deploy COMPLETE again', async () => (await deployStatus(svc)) === 'COMPLETE', 20_000, 200);
    // well under the lease's 15 s: it was handed over, not waited out
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(podIds()).toEqual(before);
    expect(podCreates()).toBe(createsBefore);
  });

  it('svc attach on a fresh SVC_HOME, after kill -9 of the first scheduler, adopts the pods without relaunching them', async () => {
    const before = podIds();
    const createsBefore = podCreates();
    // the first machine is gone: its supervisor first (it would restart the scheduler), then the scheduler
    const dir = join(first.home, SERVICE);
    const pidOf = (f: string) => Number(readFileSync(join(dir, f), 'utf8').trim().split(/\s/)[0]);
    const [supervisor, scheduler] = [pidOf('supervisor.pid'), pidOf('scheduler.pid')];
    killIfAlive(supervisor);
    killIfAlive(scheduler);
    await waitFor('first scheduler gone', () => !pidAlive(supervisor) && !pidAlive(scheduler));

    const svc = svcIn(second);
    const started = Date.now();
    const r = await svc('attach', SERVICE, '--engine', 'kubernetes', '--kubeconfig', sim.kubeconfig, '--namespace', NS);
    expect(r.stderr).toContain('service hello-world attached');
    expect(r.code).toBe(0);
    // it waited for the dead scheduler's lease to expire (15 s), then took it over
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(await deployStatus(svc)).toBe('COMPLETE');
    const tasks = JSON.parse((await svc('task', 'list', '--json')).stdout) as Array<{ name: string; status: string }>;
    expect(tasks.map((t) => `${t.name}:${t.status}`).sort()).toEqual(['hello-0-server:RUNNING', 'hello-1-server:RUNNING']);
    expect(podIds()).toEqual(before);
    expect(podCreates()).toBe(createsBefore);
    const schedulerPid = Number(readFileSync(join(second.home, SERVICE, 'scheduler.pid'), 'utf8'));
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${schedulerPid}/status`, 'utf8'))?.[1];
    console.log(`kubernetes e2e figures: ${JSON.stringify({ attachMs: Date.now() - started, schedulerRssMb: Math.round(Number(rss) / 1024) })}`);
    // the volume still holds what the first launch wrote: the same pod, not a relaunch
    expect(await svc('task', 'exec', 'hello-0-server', 'cat', 'hello-container-path/output')).toMatchObject({ code: 0, stdout: 'hello\n' });
  }, 90_000);

  it('attach refuses a service the namespace does not hold, and one already installed here', async () => {
    const svc = svcIn(second);
    expect(await svc('attach', 'nothing-here', '--engine', 'kubernetes', '--kubeconfig', sim.kubeconfig, '--namespace', NS)).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('no service "nothing-here" in namespace t'),
    });
    expect(await svc('attach', SERVICE, '--engine', 'kubernetes', '--kubeconfig', sim.kubeconfig, '--namespace', NS)).toMatchObject({
      stderr: expect.stringContaining('service "hello-world" is already installed here'),
    });
  });

  it('svc uninstall --yes leaves nothing labelled with the service in the namespace, and no process', async () => {
    const svc = svcIn(second);
    const r = await svc('uninstall', SERVICE, '--yes');
    expect(r.code).toBe(0);
    for (const resource of RESOURCES) expect(labelled(resource).map((o) => `${resource}/${o.metadata.name}`)).toEqual([]);
    await waitFor('no container process', () => sim.kubelet.processes().length === 0);
  });
});

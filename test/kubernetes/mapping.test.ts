// The pure parts of the Kubernetes engine: a Pod's phase and conditions as task states, quantities,
// names and labels the API accepts, and the Pod a launch becomes (hostile paths refused).
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { buildManifest, LaunchRefused, SANDBOX } from '../../src/engine/kubernetes/manifest.js';
import { dnsName, labelValue, podName } from '../../src/engine/kubernetes/names.js';
import { cpus, mebibytes } from '../../src/engine/kubernetes/quantity.js';
import { podTaskState } from '../../src/engine/kubernetes/task-status.js';
import type { Agent, Reservation, TaskLaunch } from '../../src/engine/types.js';

const pod = (status: V1Pod['status'], extra: Partial<V1Pod> = {}): V1Pod => ({ metadata: { name: 'p' }, spec: { containers: [], nodeName: 'n1' }, status, ...extra });
const state = (p: V1Pod, o: Partial<{ deleted: boolean; killRequested: boolean; hasReadiness: boolean }> = {}) => podTaskState(p, { deleted: false, killRequested: false, hasReadiness: false, ...o });

describe('pod → task state', () => {
  it.each([
    ['not bound', pod({ phase: 'Pending' }), 'TASK_STAGING'],
    ['unschedulable', pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no room' }] }), 'TASK_STAGING'],
    ['bound', pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] }), 'TASK_STARTING'],
    ['image pull failure', pod({ phase: 'Pending', containerStatuses: [{ name: 't', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } }] }), 'TASK_ERROR'],
    ['running', pod({ phase: 'Running' }), 'TASK_RUNNING'],
    ['succeeded', pod({ phase: 'Succeeded' }), 'TASK_FINISHED'],
    ['failed', pod({ phase: 'Failed', containerStatuses: [{ name: 't', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] }), 'TASK_FAILED'],
    ['evicted', pod({ phase: 'Failed', reason: 'Evicted', message: 'low on memory' }), 'TASK_LOST'],
  ])('%s', (_, p, want) => {
    expect(state(p).state).toBe(want);
  });

  it('a failed container keeps its exit code; a deletion is KILLED when svc asked for it, else LOST', () => {
    const failed = pod({ phase: 'Failed', containerStatuses: [{ name: 't', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] });
    expect(state(failed).exitCode).toBe(3);
    expect(state(pod({ phase: 'Running' }), { deleted: true, killRequested: true }).state).toBe('TASK_KILLED');
    expect(state(failed, { killRequested: true }).state).toBe('TASK_KILLED');
    expect(state(pod({ phase: 'Running' }), { deleted: true }).state).toBe('TASK_LOST');
    // asked to die but still running (its grace period): still RUNNING
    expect(state(pod({ phase: 'Running' }), { killRequested: true }).state).toBe('TASK_RUNNING');
  });

  it('readiness follows the Ready condition, only for tasks with a readiness check', () => {
    const ready = pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] });
    expect(state(ready, { hasReadiness: true }).ready).toBe(true);
    expect(state(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }), { hasReadiness: true }).ready).toBe(false);
    expect(state(ready).ready).toBeUndefined();
  });
});

describe('quantities, names, labels', () => {
  it('reads cpu and memory quantities', () => {
    expect([cpus('500m'), cpus('4'), cpus(2)]).toEqual([0.5, 4, 2]);
    expect([mebibytes('8Gi'), mebibytes('512Mi'), mebibytes('1048576'), mebibytes('1M')]).toEqual([8192, 512, 1, 1e6 / 2 ** 20]);
    expect(cpus('lots')).toBeNaN();
  });

  it('makes DNS names and label values of any text, within the limits', () => {
    expect(dnsName('Hello_World/../x')).toBe('hello-world-x');
    expect(dnsName('a'.repeat(80))).toHaveLength(63);
    expect(dnsName('a'.repeat(80))).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(podName('svc', 'hello-0-server', 'svc__hello-0-server__1')).not.toBe(podName('svc', 'hello-0-server', 'svc__hello-0-server__2'));
    expect(labelValue('hello-world')).toBe('hello-world');
    const long = labelValue(`x${'y'.repeat(100)}!`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
    expect(labelValue('a b;c')).toMatch(/^a-b-c-[0-9a-f]{8}$/);
  });
});

describe('the pod a launch becomes', () => {
  const agent: Agent = { id: 'node-1', hostname: 'node-1', ip: '10.0.0.1', zone: 'z', region: 'r', resources: { cpus: 4, mem: 4096, disk: 1000, portRanges: [[10000, 20000]] } };
  const res: Reservation = { id: 'res-1', agentId: 'node-1', podInstance: 'web-0', cpus: 0.5, mem: 64, disk: 0, volumes: [{ name: 'data', type: 'ROOT', size: 64 }], ports: [] };
  const task: TaskLaunch = {
    taskId: 'web__web-0-server__u1',
    name: 'web-0-server',
    cmd: 'echo hi',
    env: { TASK_NAME: 'web-0-server', CONFIG_TEMPLATE_CONF: 'config-templates/conf,etc/app.conf' },
    volumeMounts: [{ volume: 'data', path: 'data' }],
    files: [{ path: 'config-templates/conf', content: 'name={{TASK_NAME}} sandbox={{MESOS_SANDBOX}}' }],
    uris: [],
    memoryMb: 64,
    rlimits: [],
    killGracePeriod: 7,
    healthCheck: { cmd: 'true', interval: 5, delay: 1, gracePeriod: 10, timeout: 2, maxConsecutiveFailures: 3 },
  };
  const build = (t: TaskLaunch = task) => buildManifest({ service: 'web', namespace: 'ns', podInstance: 'web-0', task: t, reservation: res, agent, tasksInLaunch: 1, defaultImage: 'busybox' });

  it('pins the pod to its node, never restarts it, mounts sandbox, PVC and rendered templates', () => {
    const { pod: p, configMap } = build();
    expect(p.spec?.restartPolicy).toBe('Never');
    expect(p.spec?.terminationGracePeriodSeconds).toBe(7);
    expect(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0].matchFields).toEqual([{ key: 'metadata.name', operator: 'In', values: ['node-1'] }]);
    const c = p.spec?.containers[0];
    expect(c?.workingDir).toBe(SANDBOX);
    expect(c?.volumeMounts?.map((m) => m.mountPath)).toEqual([SANDBOX, `${SANDBOX}/data`, `${SANDBOX}/config-templates/conf`, `${SANDBOX}/bootstrap`, `${SANDBOX}/etc/app.conf`]);
    expect(c?.livenessProbe).toMatchObject({ initialDelaySeconds: 11, periodSeconds: 5, failureThreshold: 3 });
    expect(c?.livenessProbe?.exec?.command?.at(-1)).toBe('true');
    expect(Object.values(configMap?.data ?? {})).toContain(`name=web-0-server sandbox=${SANDBOX}`);
    expect(p.metadata?.labels).toMatchObject({ 'svc/service': 'web', 'svc/pod-instance': 'web-0', 'svc/task': 'web-0-server', 'svc/reservation': 'res-1' });
  });

  it('refuses volume paths and template destinations that leave the sandbox', () => {
    expect(() => build({ ...task, volumeMounts: [{ volume: 'data', path: '../../etc' }] })).toThrow(LaunchRefused);
    expect(() => build({ ...task, env: { CONFIG_TEMPLATE_CONF: 'config-templates/conf,/etc/passwd' } })).toThrow(/must stay inside the sandbox/);
    expect(() => build({ ...task, env: { CONFIG_TEMPLATE_CONF: 'no-such-template,x' } })).toThrow(/naming one of the task's templates/);
  });
});

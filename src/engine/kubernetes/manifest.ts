// What one task launch becomes: a Pod pinned to the chosen node (required node affinity, so the
// kube-scheduler confirms the binding and topology-aware volumes bind there), restartPolicy Never,
// the sandbox an emptyDir at $MESOS_SANDBOX, the pod instance's volumes its PVCs, config templates
// rendered here into a ConfigMap mounted file by file, checks as exec probes.
import Mustache from 'mustache';
import type { V1ConfigMap, V1Container, V1EnvVar, V1Pod, V1Probe, V1Secret, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { PodSpec } from '../../spec/index.js';
import type { Agent, CheckRequest, Reservation, TaskLaunch } from '../types.js';
import { ANNOTATION, LABEL, labelValue, podName, pvcName } from './names.js';
import { cpuQuantity, mebibyteQuantity } from './quantity.js';

export const SANDBOX = '/mnt/mesos/sandbox';
const CONTAINER = 'task';

/** The task's command under bash where the image has it (as the local engine does), else sh. */
const SHELL = ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash -c "$1"; fi; exec sh -c "$1"', 'sh'];

/** `./bootstrap` as specs call it: templates are rendered already; `-get-task-ip` still answers. */
const BOOTSTRAP = `#!/bin/sh
# svc on Kubernetes: the scheduler rendered this task's config templates into its ConfigMap.
for a in "$@"; do case "$a" in -get-task-ip|--get-task-ip|-get-task-ip=true|--get-task-ip=true) echo "$MESOS_CONTAINER_IP"; exit 0;; esac; done
echo "bootstrap: config templates were rendered by the scheduler"
`;

export interface ManifestInput {
  readonly service: string;
  readonly namespace: string;
  readonly podInstance: string;
  readonly task: TaskLaunch;
  readonly reservation: Reservation;
  readonly agent: Agent;
  /** The pod's spec, when the engine has the service spec: image, networks, the task's cpus and ports. */
  readonly podSpec?: PodSpec;
  /** How many tasks this launch starts (their reservation's cpus are split among them without a spec). */
  readonly tasksInLaunch: number;
  readonly defaultImage: string;
  readonly configId?: string;
}

export interface Manifest {
  readonly pod: V1Pod;
  /** Config templates (rendered and raw) and ./bootstrap, mounted file by file. */
  readonly configMap?: V1ConfigMap;
  /** Secret env values and files that are secret (a mode, or binary content): keys, keystores. */
  readonly secret?: V1Secret;
}

/**
 * What a launch may carry beyond this branch's TaskLaunch, as the engine boundary grows it: the
 * image part, secret env values, and files with an encoding and a mode (secrets, TLS artifacts).
 */
interface LaunchExtras {
  readonly image?: { readonly ref: string; readonly cpus: number };
  readonly secretEnv?: Readonly<Record<string, string>>;
}
type SandboxFile = { readonly path: string; readonly content: string; readonly encoding?: 'base64'; readonly mode?: number };
const isSecretFile = (f: SandboxFile) => f.mode !== undefined || f.encoding === 'base64';

export class LaunchRefused extends Error {}

export function taskLabels(service: string, podInstance: string, task: string, taskId: string, reservationId: string, configId?: string): Record<string, string> {
  return {
    [LABEL.managedBy]: 'svc',
    [LABEL.service]: labelValue(service),
    [LABEL.podInstance]: labelValue(podInstance),
    [LABEL.task]: labelValue(task),
    [LABEL.taskId]: labelValue(taskId.slice(taskId.lastIndexOf('__') + 2) || taskId),
    [LABEL.reservation]: labelValue(reservationId),
    ...(configId ? { [LABEL.configId]: labelValue(configId) } : {}),
  };
}

export function buildManifest(m: ManifestInput): Manifest {
  const { task, reservation: res, agent } = m;
  const name = podName(m.service, task.name, task.taskId);
  const labels = taskLabels(m.service, m.podInstance, task.name, task.taskId, res.id, m.configId);
  const short = task.name.slice(m.podInstance.length + 1);
  const taskSpec = m.podSpec?.tasks.find((t) => t.name === short);
  const hostNetwork = !m.podSpec || m.podSpec.networks.length === 0;
  const ip = hostNetwork ? agent.ip : undefined;
  const env: V1EnvVar[] = Object.entries({
    ...task.env,
    MESOS_SANDBOX: SANDBOX,
    MESOS_TASK_ID: task.taskId,
    MESOS_AGENT_ID: agent.id,
    HOST: agent.hostname,
  }).map(([k, v]) => ({ name: k, value: v }));
  env.push({ name: 'MESOS_CONTAINER_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }, { name: 'LIBPROCESS_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } });

  const volumes: V1Volume[] = [{ name: 'sandbox', emptyDir: {} }];
  const mounts: V1VolumeMount[] = [{ name: 'sandbox', mountPath: SANDBOX }];
  for (const vm of task.volumeMounts) {
    const claim = pvcName(m.service, m.podInstance, vm.volume, res.id);
    const volName = `v-${volumes.length}`;
    volumes.push({ name: volName, persistentVolumeClaim: { claimName: claim } });
    mounts.push({ name: volName, mountPath: inSandbox(vm.path, `volume ${vm.volume}`) });
  }

  const extras = task as TaskLaunch & LaunchExtras;
  let configMap: V1ConfigMap | undefined;
  const files = renderedFiles(task, { ...task.env, MESOS_SANDBOX: SANDBOX, MESOS_TASK_ID: task.taskId, MESOS_CONTAINER_IP: ip ?? '', HOST: agent.hostname });
  if (files.length > 0) {
    const data: Record<string, string> = {};
    files.forEach((f, i) => {
      const key = `f${i}`;
      data[key] = f.content;
      mounts.push({ name: 'files', mountPath: inSandbox(f.path, `config file ${f.path}`), subPath: key });
    });
    volumes.push({ name: 'files', configMap: { name, defaultMode: 0o755 } });
    configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
  }

  let secret: V1Secret | undefined;
  const secretFiles = (task.files as readonly SandboxFile[]).filter(isSecretFile);
  const secretEnv = Object.entries(extras.secretEnv ?? {});
  if (secretFiles.length > 0 || secretEnv.length > 0) {
    const data: Record<string, string> = {};
    const items: Array<{ key: string; path: string; mode?: number }> = [];
    secretFiles.forEach((f, i) => {
      const key = `f${i}`;
      data[key] = f.encoding === 'base64' ? f.content : Buffer.from(f.content).toString('base64');
      items.push({ key, path: key, ...(f.mode !== undefined ? { mode: f.mode } : {}) });
      mounts.push({ name: 'secret-files', mountPath: inSandbox(f.path, `secret file ${f.path}`), subPath: key });
    });
    secretEnv.forEach(([envName, value], i) => {
      data[`e${i}`] = Buffer.from(value).toString('base64');
      env.push({ name: envName, valueFrom: { secretKeyRef: { name, key: `e${i}` } } });
    });
    if (items.length > 0) volumes.push({ name: 'secret-files', secret: { secretName: name, items } });
    secret = { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name, labels }, data };
  }

  const cpus = extras.image?.cpus ?? taskSpec?.cpus ?? res.cpus / Math.max(1, m.tasksInLaunch);
  const ports = (taskSpec?.ports ?? []).flatMap((p) => {
    const port = res.ports.find((r) => r.name === p.name)?.port ?? p.port;
    return port > 0 ? [{ containerPort: port, ...(hostNetwork ? { hostPort: port } : {}), protocol: 'TCP' }] : [];
  });
  const container: V1Container = {
    name: CONTAINER,
    image: extras.image?.ref ?? m.podSpec?.image ?? m.defaultImage,
    command: [...SHELL, task.cmd],
    workingDir: SANDBOX,
    env,
    volumeMounts: mounts,
    resources: { requests: { cpu: cpuQuantity(cpus), memory: mebibyteQuantity(task.memoryMb) }, limits: { memory: mebibyteQuantity(task.memoryMb) } },
    ...(ports.length > 0 ? { ports } : {}),
    ...(task.readinessCheck ? { readinessProbe: probe(task.readinessCheck, false) } : {}),
    ...(task.healthCheck ? { livenessProbe: probe(task.healthCheck, true) } : {}),
  };
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels,
      annotations: {
        [ANNOTATION.taskId]: task.taskId,
        [ANNOTATION.killGrace]: String(task.killGracePeriod),
        ...(task.readinessCheck ? { [ANNOTATION.readiness]: 'true' } : {}),
      },
    },
    spec: {
      restartPolicy: 'Never',
      hostNetwork,
      terminationGracePeriodSeconds: Math.max(0, Math.round(task.killGracePeriod)),
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [agent.id] }] }] } } },
      volumes,
      containers: [container],
    },
  };
  return { pod, configMap, secret };
}

function probe(c: CheckRequest, liveness: boolean): V1Probe {
  return {
    // under bash where the image has it, as the task's command: real specs' checks use bash-isms
    exec: { command: [...SHELL, c.cmd] },
    // a health check's grace period: failures before it ends do not count
    initialDelaySeconds: Math.round(c.delay + (liveness ? c.gracePeriod : 0)),
    periodSeconds: Math.max(1, Math.round(c.interval)),
    timeoutSeconds: Math.max(1, Math.round(c.timeout)),
    failureThreshold: liveness ? Math.max(1, c.maxConsecutiveFailures) : 1,
    successThreshold: 1,
  };
}

/** A path relative to the sandbox, refused when it would leave it. */
function inSandbox(path: string, what: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (path.startsWith('/') || parts.includes('..') || parts.length === 0) throw new LaunchRefused(`${what}: path "${path}" must stay inside the sandbox (relative, no "..")`);
  return `${SANDBOX}/${parts.join('/')}`;
}

/** The templates as written (config-templates/<name>), each rendered to its destination, and ./bootstrap. */
function renderedFiles(task: TaskLaunch, view: Readonly<Record<string, string>>): Array<{ path: string; content: string }> {
  const plain = (task.files as readonly SandboxFile[]).filter((f) => !isSecretFile(f));
  if (plain.length === 0 && !/\bbootstrap\b/.test(task.cmd)) return [];
  const values: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(view)) values[k] = v.toLowerCase() === 'false' ? false : v;
  const out = [...plain.map((f) => ({ path: f.path, content: f.content })), { path: 'bootstrap', content: BOOTSTRAP }];
  for (const [key, value] of Object.entries(task.env)) {
    if (!key.startsWith('CONFIG_TEMPLATE_')) continue;
    const comma = value.indexOf(',');
    const src = plain.find((f) => f.path === value.slice(0, comma));
    if (comma < 0 || !src) throw new LaunchRefused(`${key}=${value}: expected <template>,<destination> naming one of the task's templates`);
    out.push({ path: value.slice(comma + 1), content: Mustache.render(src.content, values, {}, { escape: (s: string) => s }) });
  }
  return out;
}

// The Kubernetes engine: Ready schedulable Nodes are the agents, each task a Pod pinned to the node
// svc's placement chose, pod-instance volumes PVCs, statuses from a watch on the service's pods,
// exec and logs through pods/exec and pods/log, reservations in a ConfigMap and a Lease so only
// one scheduler of a service writes. The official client is loaded here and only here.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { CoordinationV1Api, CoreV1Api, KubeConfig, V1Node, V1Pod, V1Status } from '@kubernetes/client-node';
import type { PodSpec, ServiceSpec } from '../../spec/index.js';
import type { Persister } from '../../state/index.js';
import { isTerminal } from '../../state/state-store.js';
import { ExecFailed, NoTaskOutput, updatedPorts } from '../types.js';
import type { Agent, Engine, ExecCommand, ExecOptions, ExecSession, ExpectedTask, LogOptions, PodLaunch, PortRequest, Reservation, ReservationRequest, StatusListener, StatusUpdate, TaskRef, TaskStatusRecord, Unsupported } from '../types.js';
import { LeaseHeld, ReservationBook, SchedulerLease, statusCode } from './cluster-state.js';
import { loadKubeClient, type KubeClient } from './load-client.js';
import { buildManifest } from './manifest.js';
import { ANNOTATION, LABEL, labelValue, pvcName, serviceSelector } from './names.js';
import { podLog } from './pod-log.js';
import { cpus, mebibyteQuantity, mebibytes } from './quantity.js';
import { unsupportedFields } from './support.js';
import { readMirroredState, StateMirror } from './state-mirror.js';
import { podTaskState, unschedulableReason } from './task-status.js';

export { LeaseHeld };

export interface KubernetesEngineOptions {
  /** Kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace: string;
  readonly service: string;
  /** Only nodes with all these labels are agents (`--node-selector`). */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly storageClass?: string;
  /** The image of pods whose spec names none. */
  readonly defaultImage: string;
  /** The service spec: each pod's image and networks, each task's cpus and ports. */
  readonly spec?: ServiceSpec;
  /** The hostPorts handed out for dynamic ports (default 10000-20000). */
  readonly portRange?: readonly [number, number];
  /** A pod the kube-scheduler keeps refusing this long is a failed launch (default 60 s). */
  readonly unschedulableTimeoutMs?: number;
  /** Lease holder name (default: hostname/pid/uuid) and duration (default 15 s). */
  readonly identity?: string;
  readonly leaseDurationSec?: number;
  /** The lease was taken over: this scheduler must stop (default: log it). */
  readonly onLeaseLost?: () => void;
  readonly log: (msg: string) => void;
  readonly now: () => number;
}

interface TaskPod {
  readonly podName: string;
  readonly podInstance: string;
  readonly taskName: string;
  readonly taskId: string;
  readonly hasReadiness: boolean;
  readonly grace: number;
}

const WATCH_RETRY_MS = 500;
const STOP_DEADLINE_EXTRA_MS = 15_000;
const INFRA_LABEL_PREFIXES = ['kubernetes.io/', 'k8s.io/', 'node.kubernetes.io/', 'topology.kubernetes.io/', 'beta.kubernetes.io/', 'failure-domain.beta.kubernetes.io/', 'node-role.kubernetes.io/'];

/** Connects, takes the service's lease, and reads nodes and reservations, ready for the scheduler. */
export async function createKubernetesEngine(opts: KubernetesEngineOptions): Promise<KubernetesEngine> {
  const { k, kc } = await connectClient(opts);
  const engine = new KubernetesEngine(k, kc, opts);
  await engine.connect();
  return engine;
}

/**
 * Uninstall's last resort, with or without a scheduler (so without taking its lease): deletes
 * everything labelled with the service in the namespace.
 */
export async function sweepKubernetesService(opts: Pick<KubernetesEngineOptions, 'kubeconfig' | 'context' | 'namespace' | 'service'>): Promise<void> {
  const { k, kc } = await connectClient(opts);
  await sweepLabelled(kc.makeApiClient(k.CoreV1Api), kc.makeApiClient(k.CoordinationV1Api), opts.namespace, opts.service);
}

/**
 * Install's check that the cluster is there before anything is created: the kubeconfig and its
 * context load, and the API server answers a list of the namespace's pods with these credentials.
 */
export async function probeCluster(opts: Pick<KubernetesEngineOptions, 'kubeconfig' | 'context' | 'namespace'>): Promise<void> {
  const { k, kc } = await connectClient(opts);
  const server = kc.getCurrentCluster()?.server ?? '(no cluster in the kubeconfig context)';
  try {
    await kc.makeApiClient(k.CoreV1Api).listNamespacedPod({ namespace: opts.namespace, limit: 1 });
  } catch (e) {
    const code = statusCode(e);
    throw new Error(`cannot use the cluster at ${server} (context ${kc.getCurrentContext()}, namespace ${opts.namespace}): ${code ? `the API server answered ${code}` : (e as Error).message}`);
  }
}

/** The state tree a scheduler of the service last mirrored into the cluster, read without its lease (`svc attach`). */
export async function readServiceState(opts: Pick<KubernetesEngineOptions, 'kubeconfig' | 'context' | 'namespace' | 'service'>): Promise<Record<string, string> | undefined> {
  const { k, kc } = await connectClient(opts);
  return readMirroredState(kc.makeApiClient(k.CoreV1Api), opts.namespace, opts.service);
}

async function sweepLabelled(core: CoreV1Api, coordination: CoordinationV1Api, namespace: string, service: string): Promise<void> {
  const q = { namespace, labelSelector: serviceSelector(service) };
  await core.deleteCollectionNamespacedPod({ ...q, gracePeriodSeconds: 0 });
  await core.deleteCollectionNamespacedConfigMap(q);
  await core.deleteCollectionNamespacedPersistentVolumeClaim(q);
  await core.deleteCollectionNamespacedSecret(q);
  await coordination.deleteCollectionNamespacedLease(q);
}

async function connectClient(opts: Pick<KubernetesEngineOptions, 'kubeconfig' | 'context' | 'namespace'>): Promise<{ k: KubeClient; kc: KubeConfig }> {
  const k = await loadKubeClient();
  const kc = new k.KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else kc.loadFromDefault();
  if (opts.context) {
    if (!kc.getContexts().some((c) => c.name === opts.context)) throw new Error(`--context ${opts.context}: no such context in the kubeconfig (has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    kc.setCurrentContext(opts.context);
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(opts.namespace) || opts.namespace.length > 63) throw new Error(`--namespace ${opts.namespace}: not a namespace name (lower-case letters, digits and '-', at most 63)`);
  return { k, kc };
}

export class KubernetesEngine implements Engine {
  private readonly core: CoreV1Api;
  private readonly coordination: CoordinationV1Api;
  private readonly book: ReservationBook;
  private readonly lease: SchedulerLease;
  private readonly listeners: StatusListener[] = [];
  private readonly nodes = new Map<string, V1Node>();
  /** cpus, MiB and hostPorts taken on each node by pods that are not this service's. */
  private readonly foreign = new Map<string, { cpus: number; mem: number; ports: Set<number> }>();
  private readonly pods = new Map<string, V1Pod>();
  /** By full task name: the pod of its latest launch. */
  private readonly tasks = new Map<string, TaskPod>();
  private readonly killRequested = new Set<string>();
  /** The last state (and readiness) reported per task id; a terminal one is never followed. */
  private readonly reported = new Map<string, string>();
  private readonly unschedulableSince = new Map<string, number>();
  private readonly watches: AbortController[] = [];
  private podRv?: string;
  private nodeRv?: string;
  private watchingPods = false;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private releasing?: Promise<void>;
  private mirror?: StateMirror;
  /** The target config's spec: the one it was built with until the scheduler chose another. */
  private spec?: ServiceSpec;
  private readonly selector: string;

  constructor(
    private readonly k: KubeClient,
    private readonly kc: KubeConfig,
    private readonly o: KubernetesEngineOptions,
  ) {
    this.core = kc.makeApiClient(k.CoreV1Api);
    this.coordination = kc.makeApiClient(k.CoordinationV1Api);
    this.book = new ReservationBook(this.core, o.namespace, o.service);
    this.selector = serviceSelector(o.service);
    this.spec = o.spec;
    this.lease = new SchedulerLease(this.coordination, o.namespace, o.service, {
      identity: o.identity ?? `${process.env.HOSTNAME ?? 'svc'}/${process.pid}/${randomUUID().slice(0, 8)}`,
      durationSec: o.leaseDurationSec ?? 15,
      now: o.now,
      log: o.log,
      onLost: () => {
        this.close();
        o.onLeaseLost?.();
      },
    });
  }

  get namespace(): string {
    return this.o.namespace;
  }

  async connect(): Promise<void> {
    await this.lease.acquire();
    await Promise.all([this.book.load(), this.listNodes(), this.refreshForeign()]);
    this.watchNodes();
    this.timer = setInterval(() => void this.failUnschedulable(), 1000);
    this.timer.unref();
  }

  // ---- agents ----

  private async listNodes(): Promise<void> {
    const list = await this.core.listNode();
    this.nodes.clear();
    for (const n of list.items) this.nodes.set(n.metadata?.name ?? '', n);
    this.nodeRv = list.metadata?.resourceVersion;
  }

  private watchNodes(): void {
    this.watch(
      '/api/v1/nodes',
      {},
      () => this.nodeRv,
      (rv) => (this.nodeRv = rv),
      (type, node: V1Node) => {
        if (type === 'DELETED') this.nodes.delete(node.metadata?.name ?? '');
        else this.nodes.set(node.metadata?.name ?? '', node);
      },
      () => this.listNodes(),
    );
  }

  /** Requests of the other workloads' live pods, per node (all namespaces, or `onNode` only). */
  private async refreshForeign(onNode?: string): Promise<void> {
    const fieldSelector = ['status.phase!=Succeeded', 'status.phase!=Failed', ...(onNode ? [`spec.nodeName=${onNode}`] : [])].join(',');
    const list = await this.core.listPodForAllNamespaces({ fieldSelector });
    if (!onNode) this.foreign.clear();
    else this.foreign.delete(onNode);
    for (const p of list.items) {
      const node = p.spec?.nodeName;
      if (!node || p.metadata?.labels?.[LABEL.service] === labelValue(this.o.service)) continue;
      const u = this.foreign.get(node) ?? { cpus: 0, mem: 0, ports: new Set<number>() };
      for (const c of p.spec?.containers ?? []) {
        u.cpus += cpus(c.resources?.requests?.cpu);
        u.mem += mebibytes(c.resources?.requests?.memory);
        for (const port of c.ports ?? []) if (port.hostPort) u.ports.add(port.hostPort);
      }
      this.foreign.set(node, u);
    }
  }

  agents(): Agent[] {
    const range = this.o.portRange ?? [10000, 20000];
    return [...this.nodes.values()].filter((n) => this.usable(n)).map((n) => {
      const name = n.metadata?.name ?? '';
      const labels = n.metadata?.labels ?? {};
      const alloc = n.status?.allocatable ?? {};
      const used = this.foreign.get(name);
      const attributes = Object.fromEntries(Object.entries(labels).filter(([key]) => !INFRA_LABEL_PREFIXES.some((p) => key.startsWith(p))));
      return {
        id: name,
        hostname: labels['kubernetes.io/hostname'] ?? name,
        ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? n.status?.addresses?.[0]?.address ?? '',
        zone: labels['topology.kubernetes.io/zone'] ?? '',
        region: labels['topology.kubernetes.io/region'] ?? '',
        ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
        resources: {
          cpus: Math.max(0, cpus(alloc.cpu) - (used?.cpus ?? 0)),
          mem: Math.max(0, Math.floor(mebibytes(alloc.memory) - (used?.mem ?? 0))),
          disk: Math.floor(mebibytes(alloc['ephemeral-storage'])),
          portRanges: [[range[0], range[1]]],
        },
      };
    });
  }

  private usable(n: V1Node): boolean {
    const ready = n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    const labels = n.metadata?.labels ?? {};
    const selected = Object.entries(this.o.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
    return ready && !n.spec?.unschedulable && selected;
  }

  // ---- reservations ----

  reservations(): Reservation[] {
    return this.book.reservations;
  }

  async reserve(req: ReservationRequest): Promise<Reservation> {
    await this.refreshForeign(req.agentId);
    const agent = this.agents().find((a) => a.id === req.agentId);
    if (!agent) throw new Error(`node ${req.agentId} is not a Ready, schedulable node${this.o.nodeSelector ? ' matching the node selector' : ''}`);
    const mine = this.book.reservations.filter((r) => r.agentId === agent.id);
    for (const [dim, total] of [['cpus', agent.resources.cpus], ['mem', agent.resources.mem]] as const) {
      const free = total - mine.reduce((s, r) => s + r[dim], 0);
      if (free + 1e-9 < req[dim]) throw new Error(`insufficient ${dim} on ${agent.id}: ${Math.round(free * 1000) / 1000} free, ${req[dim]} needed`);
    }
    const ports = this.pickPorts(agent, req.ports, this.portsTaken(agent.id));
    const res: Reservation = { ...req, id: randomUUID(), ports };
    // the book first: a crash after it leaves a reservation the scheduler releases (and its PVCs with it)
    await this.book.update((list) => [...list, res]);
    for (const v of req.volumes) {
      await this.core.createNamespacedPersistentVolumeClaim({
        namespace: this.o.namespace,
        body: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: pvcName(this.o.service, req.podInstance, v.name, res.id), labels: { [LABEL.managedBy]: 'svc', [LABEL.service]: labelValue(this.o.service), [LABEL.podInstance]: labelValue(req.podInstance), [LABEL.reservation]: labelValue(res.id) } },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: mebibyteQuantity(v.size) } }, ...(this.o.storageClass ? { storageClassName: this.o.storageClass } : {}) },
        },
      });
    }
    return res;
  }

  async updatePorts(reservationId: string, ports: readonly PortRequest[]): Promise<Reservation> {
    const res = this.book.reservations.find((r) => r.id === reservationId);
    if (!res) throw new Error(`no reservation ${reservationId}`);
    await this.refreshForeign(res.agentId);
    const agent = this.agents().find((a) => a.id === res.agentId);
    if (!agent) throw new Error(`node ${res.agentId} is not a Ready, schedulable node`);
    const updated: Reservation = { ...res, ports: await updatedPorts(res.ports, ports, (added) => this.pickPorts(agent, added, this.portsTaken(agent.id))) };
    await this.book.update((list) => list.map((r) => (r.id === reservationId ? updated : r)));
    return updated;
  }

  /** The node's ports held by this service's reservations and by pods of others. */
  private portsTaken(agentId: string): Set<number> {
    return new Set([...this.book.reservations.filter((r) => r.agentId === agentId).flatMap((r) => r.ports.map((p) => p.port)), ...(this.foreign.get(agentId)?.ports ?? [])]);
  }

  private pickPorts(agent: Agent, wanted: readonly PortRequest[], taken: Set<number>): PortRequest[] {
    const out: PortRequest[] = [];
    for (const w of wanted.filter((p) => p.port > 0)) {
      if (taken.has(w.port)) throw new Error(`port ${w.port} (${w.name}) is taken on ${agent.id}`);
      taken.add(w.port);
      out.push(w);
    }
    const [lo, hi] = agent.resources.portRanges[0];
    for (const w of wanted.filter((p) => p.port === 0)) {
      let port = lo;
      while (port <= hi && taken.has(port)) port++;
      if (port > hi) throw new Error(`no free port left on ${agent.id} for ${w.name}`);
      taken.add(port);
      out.push({ name: w.name, port });
    }
    return out;
  }

  async unreserve(reservationId: string): Promise<void> {
    if (!this.book.reservations.some((r) => r.id === reservationId)) return;
    await this.core.deleteCollectionNamespacedPersistentVolumeClaim({ namespace: this.o.namespace, labelSelector: `${this.selector},${LABEL.reservation}=${labelValue(reservationId)}` });
    await this.book.update((list) => list.filter((r) => r.id !== reservationId));
  }

  // ---- launch, kill ----

  private podSpec(podInstance: string): PodSpec | undefined {
    return this.spec?.pods.find((p) => podInstance.startsWith(`${p.name}-`) && /^\d+$/.test(podInstance.slice(p.name.length + 1)));
  }

  async launch(pod: PodLaunch): Promise<void> {
    const res = this.book.reservations.find((r) => r.id === pod.reservationId);
    if (!res) throw new Error(`unknown reservation ${pod.reservationId}`);
    const agent = this.agents().find((a) => a.id === res.agentId) ?? this.agentOfGoneNode(res.agentId);
    await this.watchPods();
    const podSpec = this.podSpec(pod.podInstance);
    // an earlier incarnation still running (a config update relaunches in place) goes first: same volumes, same ports
    const earlier = pod.tasks.flatMap((task) => {
      const t = this.tasks.get(task.name);
      return t && t.taskId !== task.taskId && this.pods.has(t.podName) ? [t] : [];
    });
    await Promise.all(earlier.map((t) => this.deletePod(t, t.grace)));
    await this.awaitGone(pod.podInstance, earlier);
    for (const task of pod.tasks) {
      const m = buildManifest({ service: this.o.service, namespace: this.o.namespace, podInstance: pod.podInstance, task, reservation: res, agent, podSpec, tasksInLaunch: pod.tasks.length, defaultImage: this.o.defaultImage, configId: (task as { configId?: string }).configId });
      const podName = m.pod.metadata?.name ?? '';
      this.tasks.set(task.name, { podName, podInstance: pod.podInstance, taskName: task.name, taskId: task.taskId, hasReadiness: !!task.readinessCheck, grace: task.killGracePeriod });
      if (m.configMap) await this.core.createNamespacedConfigMap({ namespace: this.o.namespace, body: m.configMap });
      if (m.secret) await this.core.createNamespacedSecret({ namespace: this.o.namespace, body: m.secret });
      await this.core.createNamespacedPod({ namespace: this.o.namespace, body: m.pod });
    }
  }

  /** A relaunch in place onto a node that is gone: the pod is created and stays Pending until the unschedulable deadline. */
  private agentOfGoneNode(id: string): Agent {
    return { id, hostname: id, ip: '', zone: '', region: '', resources: { cpus: 0, mem: 0, disk: 0, portRanges: [] } };
  }

  async kill(podInstance: string, taskName: string, gracePeriodSec: number): Promise<void> {
    const t = this.tasks.get(taskName);
    if (!t || t.podInstance !== podInstance || this.isFinal(t.taskId)) return;
    await this.deletePod(t, gracePeriodSec);
  }

  private async deletePod(t: TaskPod, grace: number): Promise<void> {
    this.killRequested.add(t.taskId);
    try {
      await this.core.deleteNamespacedPod({ name: t.podName, namespace: this.o.namespace, gracePeriodSeconds: Math.max(0, Math.round(grace)) });
    } catch (e) {
      if (statusCode(e) !== 404) throw e;
      this.report(t, { state: 'TASK_KILLED', message: `pod ${t.podName} was already gone` });
    }
  }

  async stopPod(podInstance: string, reservationId: string): Promise<void> {
    if (!this.book.reservations.some((r) => r.id === reservationId)) return;
    await this.watchPods();
    const mine = [...this.tasks.values()].filter((t) => t.podInstance === podInstance && this.pods.has(t.podName));
    await Promise.all(mine.map((t) => this.deletePod(t, t.grace)));
    await this.awaitGone(podInstance, mine);
  }

  /** Waits (the watch tells) until these pods are gone, for at most their grace period and some. */
  private async awaitGone(podInstance: string, tasks: readonly TaskPod[]): Promise<void> {
    const deadline = Date.now() + Math.max(0, ...tasks.map((t) => t.grace)) * 1000 + STOP_DEADLINE_EXTRA_MS;
    while (tasks.some((t) => this.pods.has(t.podName))) {
      if (Date.now() > deadline) throw new Error(`pods of ${podInstance} still there after their grace period: ${tasks.filter((t) => this.pods.has(t.podName)).map((t) => t.podName).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  // ---- statuses ----

  onStatus(listener: StatusListener): void {
    this.listeners.push(listener);
  }

  private isFinal(taskId: string): boolean {
    const last = this.reported.get(taskId);
    return !!last && isTerminal(last.split('/')[0] as TaskStatusRecord['state']);
  }

  private report(t: TaskPod, s: { state: TaskStatusRecord['state']; message: string; exitCode?: number; ready?: boolean }): void {
    const key = `${s.state}/${s.ready ?? ''}`;
    if (this.isFinal(t.taskId) || this.reported.get(t.taskId) === key) return;
    this.reported.set(t.taskId, key);
    const update: StatusUpdate = { podInstance: t.podInstance, taskName: t.taskName, status: { taskId: t.taskId, timestamp: this.o.now() / 1000, ...s } };
    for (const l of this.listeners) l(update, () => undefined);
  }

  private taskOfPod(pod: V1Pod): TaskPod | undefined {
    const labels = pod.metadata?.labels ?? {};
    const taskId = pod.metadata?.annotations?.[ANNOTATION.taskId];
    const taskName = labels[LABEL.task];
    if (!taskId || !taskName) return undefined;
    const known = this.tasks.get(taskName);
    if (known?.taskId === taskId) return known;
    return { podName: pod.metadata?.name ?? '', podInstance: labels[LABEL.podInstance] ?? '', taskName, taskId, hasReadiness: pod.metadata?.annotations?.[ANNOTATION.readiness] === 'true', grace: Number(pod.metadata?.annotations?.[ANNOTATION.killGrace] ?? 0) };
  }

  private onPod(type: string, pod: V1Pod): void {
    const name = pod.metadata?.name ?? '';
    const deleted = type === 'DELETED';
    if (deleted) {
      this.pods.delete(name);
      this.unschedulableSince.delete(name);
      // its rendered config files and its secrets go with it
      if (pod.spec?.volumes?.some((v) => v.configMap?.name === name)) void this.core.deleteNamespacedConfigMap({ name, namespace: this.o.namespace }).catch(() => undefined);
      const secretEnv = pod.spec?.containers.some((c) => c.env?.some((e) => e.valueFrom?.secretKeyRef?.name === name));
      if (secretEnv || pod.spec?.volumes?.some((v) => v.secret?.secretName === name)) void this.core.deleteNamespacedSecret({ name, namespace: this.o.namespace }).catch(() => undefined);
    } else this.pods.set(name, pod);
    const t = this.taskOfPod(pod);
    if (!t) return;
    if (this.tasks.get(t.taskName)?.taskId !== t.taskId) {
      // an older incarnation: the scheduler ignores it; a newer one (adopted at start) is tracked
      if (!this.tasks.has(t.taskName)) this.tasks.set(t.taskName, t);
    }
    const why = deleted ? undefined : unschedulableReason(pod);
    if (why && !this.unschedulableSince.has(name)) this.unschedulableSince.set(name, this.o.now());
    if (!why) this.unschedulableSince.delete(name);
    const s = podTaskState(pod, { deleted, killRequested: this.killRequested.has(t.taskId), hasReadiness: t.hasReadiness });
    this.report(t, s);
    if (s.state === 'TASK_ERROR' && !deleted) void this.core.deleteNamespacedPod({ name, namespace: this.o.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
  }

  /** A pod the kube-scheduler keeps refusing is a failed launch: deleted, reported FAILED, placed again by recovery. */
  private async failUnschedulable(): Promise<void> {
    const limit = this.o.unschedulableTimeoutMs ?? 60_000;
    for (const [name, since] of this.unschedulableSince) {
      if (this.o.now() - since < limit) continue;
      const pod = this.pods.get(name);
      const t = pod && this.taskOfPod(pod);
      this.unschedulableSince.delete(name);
      if (!pod || !t) continue;
      this.report(t, { state: 'TASK_FAILED', message: `pod ${name} could not be scheduled within ${Math.round(limit / 1000)} s: ${unschedulableReason(pod) ?? 'unschedulable'}` });
      await this.core.deleteNamespacedPod({ name, namespace: this.o.namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }

  /** Lists the service's pods (the cache and the resourceVersion to watch from), then watches them. */
  private async watchPods(): Promise<void> {
    if (this.watchingPods) return;
    this.watchingPods = true;
    await this.relistPods();
    this.watch(
      `/api/v1/namespaces/${this.o.namespace}/pods`,
      { labelSelector: this.selector },
      () => this.podRv,
      (rv) => (this.podRv = rv),
      (type, pod: V1Pod) => this.onPod(type, pod),
      () => this.relistPods(),
    );
  }

  /** After a 410 Gone (or at start): what changed while no watch ran is read from a fresh list. */
  private async relistPods(): Promise<void> {
    const list = await this.core.listNamespacedPod({ namespace: this.o.namespace, labelSelector: this.selector });
    const seen = new Set<string>();
    for (const p of list.items) {
      seen.add(p.metadata?.name ?? '');
      this.onPod('MODIFIED', p);
    }
    for (const [name, p] of [...this.pods]) if (!seen.has(name)) this.onPod('DELETED', p);
    this.podRv = list.metadata?.resourceVersion;
  }

  /** A watch that resumes from its last resourceVersion when it ends, and re-lists on 410 Gone. */
  private watch<T>(path: string, query: Record<string, string>, rv: () => string | undefined, setRv: (rv: string) => void, on: (type: string, obj: T) => void, relist: () => Promise<void>): void {
    let expired = false;
    const start = async (): Promise<void> => {
      if (this.closed) return;
      const ctl = await new this.k.Watch(this.kc).watch(
        path,
        { ...query, allowWatchBookmarks: 'true', ...(rv() ? { resourceVersion: rv() as string } : {}) },
        (type: string, obj: T & { code?: number; metadata?: { resourceVersion?: string } }) => {
          if (type === 'ERROR') {
            expired = obj.code === 410;
            if (!expired) this.o.log(`watch ${path}: ${(obj as V1Status).message ?? 'error'}`);
            return;
          }
          if (obj.metadata?.resourceVersion) setRv(obj.metadata.resourceVersion);
          if (type !== 'BOOKMARK') on(type, obj);
        },
        (err: unknown) => {
          if (this.closed) return;
          const again = () => setTimeout(() => void start().catch((e: Error) => this.o.log(`watch ${path}: ${e.message}`)), err ? WATCH_RETRY_MS : 0);
          if (expired || statusCode(err) === 410) {
            expired = false;
            void relist()
              .catch((e: Error) => this.o.log(`re-list of ${path} failed: ${e.message}`))
              .finally(again);
          } else again();
        },
      );
      this.watches.push(ctl);
    };
    void start().catch((e: Error) => this.o.log(`watch ${path}: ${e.message}`));
  }

  async reconcile(expected: readonly ExpectedTask[]): Promise<void> {
    await this.watchPods();
    const byId = new Map<string, V1Pod>();
    for (const p of this.pods.values()) {
      const id = p.metadata?.annotations?.[ANNOTATION.taskId];
      if (id) byId.set(id, p);
    }
    const wanted = new Set(expected.map((t) => t.taskId));
    for (const t of expected) {
      const pod = byId.get(t.taskId);
      const ref: TaskPod = pod ? (this.taskOfPod(pod) as TaskPod) : { podName: '', podInstance: t.podInstance, taskName: t.taskName, taskId: t.taskId, hasReadiness: false, grace: 0 };
      this.tasks.set(t.taskName, ref);
      // reported afresh: the scheduler hears every adopted task's state at start
      this.reported.delete(t.taskId);
      if (pod) this.report(ref, podTaskState(pod, { deleted: false, killRequested: false, hasReadiness: ref.hasReadiness }));
      else this.report(ref, { state: 'TASK_LOST', message: 'no pod of this task in the namespace' });
    }
    // pods of task ids the scheduler does not know: an older incarnation, or a launch it forgot
    for (const [id, pod] of byId) {
      if (wanted.has(id) || pod.metadata?.deletionTimestamp) continue;
      const t = this.taskOfPod(pod);
      if (t && !isTerminal(podTaskState(pod, { deleted: false, killRequested: false, hasReadiness: false }).state)) {
        this.o.log(`deleting pod ${pod.metadata?.name}: its task id ${id} is unknown to the scheduler`);
        await this.deletePod(t, 0);
      }
    }
  }

  // ---- exec, logs ----

  private podOfTask(task: TaskRef): string {
    const t = this.tasks.get(task.name);
    if (!t || t.taskId !== task.taskId || !this.pods.has(t.podName)) throw new NoTaskOutput(`${task.name} has no pod in ${this.o.namespace} (task id ${task.taskId}); has it started? (svc task list)`);
    return t.podName;
  }

  exec(task: TaskRef, cmd: ExecCommand, opts: ExecOptions): ExecSession {
    let podName: string;
    try {
      podName = this.podOfTask(task);
    } catch (e) {
      return failedSession(new ExecFailed((e as Error).message));
    }
    const stdout = opts.tty ? process.stdout : new PassThrough();
    const stderr = opts.tty ? process.stderr : new PassThrough();
    let socket: { close(): void } | undefined;
    let killed = false;
    const exit = new Promise<number>((resolve, reject) => {
      new this.k.Exec(this.kc)
        // through sh, so a command that is not there is exit 127 as on the local engine
        .exec(this.o.namespace, podName, 'task', ['/bin/sh', '-c', 'exec "$0" "$@"', cmd.cmd, ...cmd.args], stdout, stderr, opts.stdin === 'inherit' ? process.stdin : null, opts.tty, (s) => resolve(exitStatus(s)))
        .then((ws) => {
          socket = ws;
          if (killed) ws.close();
          ws.on('close', () => resolve(killed ? 137 : exitStatusOfClosed()));
        })
        .catch((e: Error) => reject(new ExecFailed(`exec in pod ${podName}: ${e.message}`)));
    });
    return {
      stdout: opts.tty ? null : (stdout as PassThrough),
      stderr: opts.tty ? null : (stderr as PassThrough),
      exit,
      kill() {
        killed = true;
        socket?.close();
      },
    };
  }

  logs(task: TaskRef, opts: LogOptions): AsyncIterable<string> {
    if (opts.stream === 'stderr') throw new NoTaskOutput(`not supported: Kubernetes keeps one log per container, stdout and stderr together; read it without --stderr`);
    return podLog(this.kc, this.o.namespace, this.podOfTask(task), 'task', { follow: opts.follow, tailLines: opts.lines, signal: opts.signal });
  }

  // ---- whole-service ----

  /** The spec launches are built from, once the scheduler has chosen its target (a rejected update keeps the old one). */
  useSpec(spec: ServiceSpec): void {
    this.spec = spec;
  }

  /**
   * Mirrors the scheduler's state into the cluster: the returned Persister writes to `local` and
   * then has a copy made in the ConfigMap `<service>-svc-state` (see state-mirror.ts).
   */
  async mirrorState(local: Persister): Promise<{ persister: Persister; mirror: StateMirror }> {
    const mirror = new StateMirror(this.core, this.o.namespace, this.o.service, local, this.o.log);
    await mirror.attach();
    this.mirror = mirror;
    return { persister: mirror.persister(), mirror };
  }

  /** The state tree a scheduler of this service last mirrored (for a scheduler started on another machine). */
  mirroredState(): Promise<Record<string, string> | undefined> {
    return readMirroredState(this.core, this.o.namespace, this.o.service);
  }

  unsupported(spec: ServiceSpec): Unsupported[] {
    return unsupportedFields(spec);
  }

  /** Deletes everything labelled with the service: pods (no grace), config maps, PVCs, secrets, the lease. */
  async sweep(): Promise<void> {
    this.lease.stop();
    await sweepLabelled(this.core, this.coordination, this.o.namespace, this.o.service);
  }

  /**
   * A clean stop (SIGTERM, Ctrl-C): the state's last writes reach the cluster copy and the lease is
   * given up, so the next scheduler (restarted, or attached elsewhere) takes over at once.
   */
  async shutdown(): Promise<void> {
    await this.mirror?.flushed();
    this.close();
    await this.releasing;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    for (const w of this.watches) w.abort();
    this.releasing = this.lease.release();
  }
}

function exitStatus(s: V1Status): number {
  if (s.status === 'Success') return 0;
  const code = Number(s.details?.causes?.find((c) => c.reason === 'ExitCode')?.message);
  return Number.isInteger(code) ? code : 1;
}

/** The connection ended without a status (the pod or the API server went away). */
const exitStatusOfClosed = (): number => 255;

function failedSession(e: ExecFailed): ExecSession {
  const exit = Promise.reject(e);
  exit.catch(() => undefined);
  return { stdout: null, stderr: null, exit, kill() {} };
}

// The simulated kubelet (and the bits of kube-scheduler and node controller svc relies on): binds a
// pod to the node its required node affinity names once the node is Ready and has room, runs its
// one container's command as a local process group, moves it through Pending → Running →
// Succeeded/Failed, runs readiness and liveness probes (exec), deletes with grace (SIGTERM, then
// SIGKILL), serves pods/log and pods/exec, and can take a node down (its pods are evicted).
//
// Volumes are directories under the sim's root; the container's working dir must be one of its
// mounts (svc's sandbox) and the mounts below it become symlinks in it, in place of a mount
// namespace. Env values that name the working dir's mount path are rewritten to its directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join, relative } from 'node:path';
import type { Duplex } from 'node:stream';
import { constants } from 'node:os';
import type { PodHooks } from './server.js';
import type { Change, KubeObject, ObjectStore } from './store.js';
import { acceptWebSocket } from './websocket.js';

export interface KubeletOptions {
  /** Where pod and PVC directories live. */
  readonly root: string;
  /** Images whose pull fails (ErrImagePull). */
  readonly badImages?: ReadonlySet<string>;
  /** PATH of the container processes. */
  readonly path?: string;
}

interface Running {
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly timers: NodeJS.Timeout[];
  terminating: boolean;
  /** The node went away: the process dies without a status write. */
  lost: boolean;
  exited: boolean;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const podKey = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;

export class Kubelet implements PodHooks {
  private readonly running = new Map<string, Running>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly opts: KubeletOptions,
  ) {
    this.unsubscribe = store.subscribe((c) => setImmediate(() => this.onChange(c)));
  }

  /** Kills every container process (the test is over). */
  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    for (const t of this.waiting.values()) clearTimeout(t);
    for (const r of this.running.values()) {
      r.lost = true;
      for (const t of r.timers) clearTimeout(t);
      killGroup(r.child, 'SIGKILL');
    }
  }

  /** Live container processes (for the tests: nothing outlives a deleted pod). */
  processes(): number[] {
    return [...this.running.values()].filter((r) => !r.exited).map((r) => r.child.pid ?? 0);
  }

  private onChange(c: Change): void {
    if (this.stopped) return;
    if (c.resource === 'persistentvolumeclaims' && c.type === 'DELETED') rmSync(this.pvcDir(c.object), { recursive: true, force: true });
    if (c.resource === 'nodes' && c.type !== 'DELETED') for (const key of [...this.waiting.keys()]) this.retrySchedule(key, 0);
    if (c.resource !== 'pods') return;
    const pod = c.object;
    if (c.type === 'ADDED') this.schedule(pod);
    if (c.type === 'DELETED') {
      const r = this.running.get(podKey(pod));
      if (r && !r.exited) killGroup(r.child, 'SIGKILL');
      clearTimeout(this.waiting.get(podKey(pod)));
      this.waiting.delete(podKey(pod));
    }
  }

  // ---- scheduling ----

  private retrySchedule(key: string, ms: number): void {
    clearTimeout(this.waiting.get(key));
    this.waiting.set(
      key,
      setTimeout(() => {
        this.waiting.delete(key);
        const [ns, name] = key.split('/');
        const pod = this.store.get('pods', ns, name);
        if (pod && !this.running.has(key) && pod.status.phase === 'Pending' && !pod.metadata.deletionTimestamp) this.schedule(pod);
      }, ms),
    );
  }

  private schedule(pod: KubeObject): void {
    const why = this.unschedulable(pod);
    const ns = pod.metadata.namespace;
    if (why) {
      this.store.mutate('pods', ns, pod.metadata.name, (p) => {
        p.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: why, lastTransitionTime: now() }];
      });
      this.retrySchedule(podKey(pod), 200);
      return;
    }
    const node = this.store.get('nodes', undefined, targetNode(pod, this.store) as string) as KubeObject;
    const ip = nodeIp(node);
    const bound = this.store.mutate('pods', ns, pod.metadata.name, (p) => {
      p.spec.nodeName = node.metadata.name;
      p.status.hostIP = ip;
      p.status.podIP = ip;
      p.status.conditions = [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now() }];
    });
    if (bound) setImmediate(() => this.start(bound));
  }

  private unschedulable(pod: KubeObject): string | undefined {
    const name = targetNode(pod, this.store);
    if (!name) return '0/0 nodes are available: no node matches the pod';
    const node = this.store.get('nodes', undefined, name);
    if (!node) return `0/1 nodes are available: node "${name}" not found`;
    if (node.spec?.unschedulable) return `0/1 nodes are available: node "${name}" is unschedulable`;
    if (!isReady(node)) return `0/1 nodes are available: node "${name}" is not ready`;
    for (const v of pod.spec.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && !this.store.get('persistentvolumeclaims', pod.metadata.namespace, claim)) return `persistentvolumeclaim "${claim}" not found`;
    }
    const used = this.store
      .list('pods')
      .filter((p) => p.spec.nodeName === name && !['Succeeded', 'Failed'].includes(p.status?.phase))
      .reduce((s, p) => add(s, requests(p)), { cpu: 0, memory: 0 });
    const want = requests(pod);
    const alloc = node.status.allocatable ?? {};
    if (used.cpu + want.cpu > cpuOf(alloc.cpu ?? '0') + 1e-9) return `0/1 nodes are available: Insufficient cpu on ${name}`;
    if (used.memory + want.memory > bytesOf(alloc.memory ?? '0')) return `0/1 nodes are available: Insufficient memory on ${name}`;
    return undefined;
  }

  // ---- running ----

  private podDir(pod: KubeObject): string {
    return join(this.opts.root, 'pods', pod.metadata.uid);
  }
  private pvcDir(pvc: KubeObject): string {
    return join(this.opts.root, 'pvcs', pvc.metadata.namespace as string, pvc.metadata.name);
  }

  private volumeDirs(pod: KubeObject): Map<string, string> | string {
    const dirs = new Map<string, string>();
    for (const v of pod.spec.volumes ?? []) {
      let dir: string;
      if (v.emptyDir) dir = join(this.podDir(pod), 'volumes', v.name);
      else if (v.persistentVolumeClaim) dir = join(this.opts.root, 'pvcs', pod.metadata.namespace as string, v.persistentVolumeClaim.claimName);
      else if (v.configMap || v.secret) {
        const src = v.configMap ? this.store.get('configmaps', pod.metadata.namespace, v.configMap.name) : this.store.get('secrets', pod.metadata.namespace, v.secret.secretName);
        if (!src) return `${v.configMap ? 'configmap' : 'secret'} "${v.configMap?.name ?? v.secret.secretName}" not found`;
        dir = join(this.podDir(pod), 'volumes', v.name);
        const decode = (s: string) => (v.secret ? Buffer.from(s, 'base64') : Buffer.from(s));
        const data: Record<string, string> = { ...(src.data ?? {}) };
        const def = (v.configMap ?? v.secret).defaultMode ?? 0o644;
        const items: Array<{ key: string; path: string; mode?: number }> = (v.configMap ?? v.secret).items ?? Object.keys(data).map((k) => ({ key: k, path: k }));
        for (const it of items) {
          if (!(it.key in data)) return `key "${it.key}" not found in ${v.configMap ? 'configmap' : 'secret'}`;
          if (it.path.split('/').includes('..') || it.path.startsWith('/')) return `items path "${it.path}" must be relative without ".."`;
          const f = join(dir, it.path);
          mkdirSync(dirname(f), { recursive: true });
          writeFileSync(f, decode(data[it.key]));
          chmodSync(f, it.mode ?? def);
        }
      } else return `volume "${v.name}": only emptyDir, persistentVolumeClaim, configMap and secret volumes are simulated`;
      mkdirSync(dir, { recursive: true });
      dirs.set(v.name, dir);
    }
    return dirs;
  }

  private fail(pod: KubeObject, reason: string, message: string): void {
    this.store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      p.status.containerStatuses = [{ name: p.spec.containers[0]?.name, ready: false, restartCount: 0, image: p.spec.containers[0]?.image, state: { waiting: { reason, message } } }];
    });
  }

  private start(pod: KubeObject): void {
    if (this.stopped || pod.metadata.deletionTimestamp) return;
    const c = pod.spec.containers[0];
    if (this.opts.badImages?.has(c.image)) return void this.fail(pod, 'ErrImagePull', `failed to pull and unpack image "${c.image}": not found`);
    const dirs = this.volumeDirs(pod);
    if (typeof dirs === 'string') return void this.fail(pod, 'CreateContainerConfigError', dirs);
    const mounts: Array<{ name: string; mountPath: string; subPath?: string }> = c.volumeMounts ?? [];
    const work = mounts.find((m) => m.mountPath === c.workingDir && !m.subPath);
    if (!work) return void this.fail(pod, 'CreateContainerConfigError', `the simulated kubelet needs the working dir ${c.workingDir} to be a volume mount`);
    const cwd = dirs.get(work.name) as string;
    for (const m of mounts) {
      if (m === work) continue;
      if (!m.mountPath.startsWith(`${work.mountPath}/`)) return void this.fail(pod, 'CreateContainerConfigError', `the simulated kubelet mounts only below the working dir, not at ${m.mountPath}`);
      const link = join(cwd, relative(work.mountPath, m.mountPath));
      const target = m.subPath ? join(dirs.get(m.name) as string, m.subPath) : (dirs.get(m.name) as string);
      mkdirSync(dirname(link), { recursive: true });
      rmSync(link, { force: true, recursive: true });
      symlinkSync(target, link);
    }
    const env: Record<string, string> = { PATH: this.opts.path ?? process.env.PATH ?? '/usr/bin:/bin', HOSTNAME: pod.metadata.name, HOME: cwd };
    const rewrite = (v: string) => (v === work.mountPath || v.startsWith(`${work.mountPath}/`) ? cwd + v.slice(work.mountPath.length) : v);
    for (const e of c.env ?? []) {
      if (e.value !== undefined) env[e.name] = rewrite(String(e.value));
      else if (e.valueFrom?.fieldRef) env[e.name] = fieldOf(pod, e.valueFrom.fieldRef.fieldPath);
      else if (e.valueFrom?.secretKeyRef) {
        const ref = e.valueFrom.secretKeyRef;
        const value = this.store.get('secrets', pod.metadata.namespace, ref.name)?.data?.[ref.key];
        if (value === undefined) return void this.fail(pod, 'CreateContainerConfigError', `secret "${ref.name}" key "${ref.key}" not found`);
        env[e.name] = Buffer.from(value, 'base64').toString('utf8');
      }
    }
    const logFile = join(this.podDir(pod), 'container.log');
    mkdirSync(dirname(logFile), { recursive: true });
    const fd = openSync(logFile, 'a');
    const cmd: string[] = [...(c.command ?? []), ...(c.args ?? [])];
    const child = spawn(cmd[0], cmd.slice(1), { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const run: Running = { child, logFile, cwd, env, timers: [], terminating: false, lost: false, exited: false };
    this.running.set(podKey(pod), run);
    child.on('error', () => undefined);
    child.on('exit', (code, signal) => this.exited(pod, run, code ?? 128 + (signal ? constants.signals[signal] : 0)));
    const hasReadiness = !!c.readinessProbe;
    this.store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      p.status.phase = 'Running';
      p.status.startTime = now();
      p.status.conditions = [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Initialized', status: 'True' },
        { type: 'ContainersReady', status: hasReadiness ? 'False' : 'True' },
        { type: 'Ready', status: hasReadiness ? 'False' : 'True' },
      ];
      p.status.containerStatuses = [{ name: c.name, ready: !hasReadiness, started: true, restartCount: 0, image: c.image, state: { running: { startedAt: now() } } }];
    });
    if (c.readinessProbe) this.probe(run, c.readinessProbe, (ok) => this.setReady(pod, ok));
    if (c.livenessProbe) {
      this.probe(run, c.livenessProbe, (ok) => {
        if (!ok && !run.terminating) killGroup(run.child, 'SIGKILL');
      });
    }
  }

  /** Runs an exec probe every period; `on` hears each result that passes the thresholds. */
  private probe(run: Running, probe: Probe, on: (ok: boolean) => void): void {
    let fails = 0;
    let passes = 0;
    const tick = () => {
      if (run.exited || this.stopped) return;
      const p = spawn(probe.exec.command[0], probe.exec.command.slice(1), { cwd: run.cwd, env: run.env, stdio: 'ignore' });
      const timer = setTimeout(() => p.kill('SIGKILL'), (probe.timeoutSeconds ?? 1) * 1000);
      p.on('error', () => undefined);
      p.on('exit', (code) => {
        clearTimeout(timer);
        if (run.exited) return;
        if (code === 0) {
          fails = 0;
          if (++passes >= (probe.successThreshold ?? 1)) on(true);
        } else {
          passes = 0;
          if (++fails >= (probe.failureThreshold ?? 3)) on(false);
        }
        run.timers.push(setTimeout(tick, (probe.periodSeconds ?? 10) * 1000));
      });
    };
    run.timers.push(setTimeout(tick, (probe.initialDelaySeconds ?? 0) * 1000));
  }

  private setReady(pod: KubeObject, ready: boolean): void {
    const cur = this.store.get('pods', pod.metadata.namespace, pod.metadata.name);
    if (cur?.status.phase !== 'Running') return;
    const was = cur.status.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status === 'True';
    if (was === ready) return;
    this.store.mutate('pods', pod.metadata.namespace, pod.metadata.name, (p) => {
      const s = ready ? 'True' : 'False';
      for (const c of p.status.conditions) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = s;
      p.status.containerStatuses[0].ready = ready;
    });
  }

  private exited(pod: KubeObject, run: Running, exitCode: number): void {
    run.exited = true;
    for (const t of run.timers) clearTimeout(t);
    if (run.lost || this.stopped) return;
    const ns = pod.metadata.namespace;
    const after = this.store.mutate('pods', ns, pod.metadata.name, (p) => {
      p.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
      for (const c of p.status.conditions ?? []) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = 'False';
      const cs = p.status.containerStatuses?.[0] ?? { name: p.spec.containers[0].name };
      cs.ready = false;
      cs.state = { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: cs.state?.running?.startedAt, finishedAt: now() } };
      p.status.containerStatuses = [cs];
    });
    if (after?.metadata.deletionTimestamp) this.remove(after);
  }

  private remove(pod: KubeObject, last?: (o: KubeObject) => void): void {
    this.store.remove('pods', pod.metadata.namespace, pod.metadata.name, last);
    this.running.delete(podKey(pod));
    rmSync(this.podDir(pod), { recursive: true, force: true });
  }

  deletePod(ns: string, name: string, grace: number): KubeObject | undefined {
    const pod = this.store.get('pods', ns, name);
    if (!pod) return undefined;
    const run = this.running.get(podKey(pod));
    if (!run || run.exited || grace === 0) {
      if (run && !run.exited) {
        run.lost = true;
        killGroup(run.child, 'SIGKILL');
      }
      const gone = this.store.get('pods', ns, name) as KubeObject;
      this.remove(gone);
      return gone;
    }
    if (pod.metadata.deletionTimestamp) return pod;
    const marked = this.store.mutate('pods', ns, name, (p) => {
      p.metadata.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      p.metadata.deletionGracePeriodSeconds = grace;
    });
    run.terminating = true;
    killGroup(run.child, 'SIGTERM');
    run.timers.push(setTimeout(() => killGroup(run.child, 'SIGKILL'), grace * 1000));
    return marked;
  }

  /** The node controller's view of a node that stops answering: NotReady, its pods evicted. */
  setNodeReady(name: string, ready: boolean): void {
    this.store.mutate('nodes', undefined, name, (n) => {
      for (const c of n.status.conditions) if (c.type === 'Ready') c.status = ready ? 'True' : 'False';
    });
    if (ready) return;
    for (const pod of this.store.list('pods').filter((p) => p.spec.nodeName === name)) {
      const run = this.running.get(podKey(pod));
      if (run && !run.exited) {
        run.lost = true;
        killGroup(run.child, 'SIGKILL');
      }
      this.remove(pod, (p) => {
        p.status.conditions = [...(p.status.conditions ?? []), { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: `Taint manager: deleting due to NoExecute taint (node ${name} not ready)` }];
      });
    }
  }

  // ---- pods/log and pods/exec ----

  log(pod: KubeObject, q: URLSearchParams, res: ServerResponse): void {
    const run = this.running.get(podKey(pod));
    if (!run) {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400, message: `container "${pod.spec.containers[0]?.name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating` }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const text = readFileSync(run.logFile, 'utf8');
    const tail = q.get('tailLines');
    res.write(tail === null ? text : lastLines(text, Number(tail)));
    let pos = Buffer.byteLength(text);
    if (q.get('follow') !== 'true') return void res.end();
    const poll = setInterval(() => {
      const size = existsSync(run.logFile) ? statSync(run.logFile).size : pos;
      if (size > pos) {
        const fd = openSync(run.logFile, 'r');
        const buf = Buffer.alloc(size - pos);
        readSync(fd, buf, 0, buf.length, pos);
        closeSync(fd);
        pos = size;
        res.write(buf);
      }
      if (run.exited || this.stopped) {
        clearInterval(poll);
        res.end();
      }
    }, 50);
    res.on('close', () => clearInterval(poll));
  }

  exec(pod: KubeObject, req: IncomingMessage, socket: Duplex, q: URLSearchParams): void {
    const run = this.running.get(podKey(pod));
    const cmd = q.getAll('command');
    if (!run || run.exited || cmd.length === 0) {
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${cmd.length === 0 ? 'you must specify at least 1 command' : `container not running (${pod.metadata.name})`}\n`);
      return;
    }
    const ws = acceptWebSocket(req, socket, ['v4.channel.k8s.io']);
    if (!ws) return;
    const child = spawn(cmd[0], cmd.slice(1), { cwd: run.cwd, env: run.env, detached: true, stdio: [q.get('stdin') === 'true' ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const frame = (ch: number, data: Buffer | string) => ws.send(Buffer.concat([Buffer.from([ch]), Buffer.from(data)]));
    child.stdout?.on('data', (d: Buffer) => frame(1, d));
    child.stderr?.on('data', (d: Buffer) => frame(2, d));
    ws.onMessage((m) => {
      if (m[0] === 0) child.stdin?.write(m.subarray(1));
      if (m[0] === 255 && m[1] === 0) child.stdin?.end();
    });
    ws.onClose(() => killGroup(child, 'SIGKILL'));
    child.stdin?.on('error', () => undefined);
    let spawnError: Error | undefined;
    child.on('error', (e) => (spawnError = e));
    child.on('close', (code, signal) => {
      const exit = code ?? 128 + (signal ? constants.signals[signal] : 0);
      const st = spawnError
        ? { metadata: {}, status: 'Failure', reason: 'InternalError', message: `error executing command in container: ${spawnError.message}` }
        : exit === 0
          ? { metadata: {}, status: 'Success' }
          : { metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', message: `command terminated with non-zero exit code: exit status ${exit}`, details: { causes: [{ reason: 'ExitCode', message: String(exit) }] } };
      frame(3, JSON.stringify(st));
      ws.close();
    });
  }
}

interface Probe {
  readonly exec: { readonly command: string[] };
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
}

function lastLines(text: string, n: number): string {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const tail = n <= 0 ? '' : lines.slice(-n).join('\n');
  return tail && text.endsWith('\n') ? `${tail}\n` : tail;
}

function killGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, sig);
  } catch {
    // gone already
  }
}

/** The node a pod's required node affinity (or spec.nodeName) names. */
function targetNode(pod: KubeObject, store: ObjectStore): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of [...(t.matchFields ?? []), ...(t.matchExpressions ?? [])]) {
      if (f.operator !== 'In') continue;
      if (f.key === 'metadata.name') return f.values[0];
      if (f.key === 'kubernetes.io/hostname') return store.list('nodes').find((n) => n.metadata.labels?.['kubernetes.io/hostname'] === f.values[0])?.metadata.name;
    }
  }
  return store.list('nodes').find(isReady)?.metadata.name;
}

const isReady = (n: KubeObject): boolean => n.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ?? false;
const nodeIp = (n: KubeObject): string => n.status.addresses?.find((a: { type: string }) => a.type === 'InternalIP')?.address ?? '127.0.0.1';

function fieldOf(pod: KubeObject, path: string): string {
  switch (path) {
    case 'status.podIP':
      return pod.status.podIP ?? '';
    case 'status.hostIP':
      return pod.status.hostIP ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    default:
      return '';
  }
}

function requests(pod: KubeObject): { cpu: number; memory: number } {
  return (pod.spec.containers ?? []).reduce((s: { cpu: number; memory: number }, c: KubeObject) => add(s, { cpu: cpuOf(c.resources?.requests?.cpu ?? '0'), memory: bytesOf(c.resources?.requests?.memory ?? '0') }), { cpu: 0, memory: 0 });
}
const add = (a: { cpu: number; memory: number }, b: { cpu: number; memory: number }) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory });

export function cpuOf(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

const UNITS: Readonly<Record<string, number>> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12, '': 1 };
export function bytesOf(q: string): number {
  const m = String(q).match(/^([0-9.]+)([A-Za-z]*)$/);
  return m ? Number(m[1]) * (UNITS[m[2]] ?? Number.NaN) : Number.NaN;
}

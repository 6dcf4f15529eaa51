// The embedded default engine: N virtual agents on this machine, each with one detached host process
// for the executors of its running pod instances, persistent volumes as directories. Layout under `root`:
//   agents.json, reservations.json
//   agents/<agent-id>/{executor.pid, executor.log}                  the agent's host process
//   agents/<agent-id>/volumes/<reservation-id>/<volume>/
//   agents/<agent-id>/executors/<pod-instance>/{executor.pid, journal.jsonl, sandboxes/<task>/}
//   agents/<agent-id>/executors/<pod-instance>/tasks/<task>.json    exec context, for local access (task-files.ts)
// Exec, logs and sweep live beside this file (exec.ts, logs.ts, sweep.ts).
import { createHash, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import type { ServiceSpec } from '../../spec/index.js';
import { pidAlive, readJsonFile, readPid, writeFileAtomic } from '../../util/fs.js';
import { agentPorts, updatedPorts } from '../types.js';
import type {
  Agent,
  AgentSetting,
  Engine,
  ExecCommand,
  ExecContext,
  ExecOptions,
  ExecSession,
  ExpectedTask,
  LogOptions,
  PodLaunch,
  PortRequest,
  Reservation,
  ReservationRequest,
  StatusListener,
  StatusUpdate,
  TaskRef,
  TaskStatusRecord,
  Unsupported,
} from '../types.js';
import { runExec } from './exec.js';
import { coreStatus, journaledTaskIds, journalTasks, liveJournalTasks, type JournalTask } from './journal.js';
import { removeCgroupsSoon } from './limits.js';
import { readTaskLog } from './logs.js';
import { unsupportedFields } from './support.js';
import { sweepEngineFolder } from './sweep.js';
import { writeTaskFile } from './task-files.js';
import { EXECUTOR_FILES, readLines, send, type ExecutorTask, type FromExecutor, type FromHost } from './protocol.js';
import { signalGroup } from '../../util/process-ref.js';
import { dialDir, openChannel, type Channel } from './channel.js';
import { containerRun, reapContainer } from './container.js';
import type { RegistryAccess } from './registries.js';
import { emptyPodNetwork, ensurePodNetwork, leaseAddress, OVERLAY_PORT_RANGE, releasePodNetwork, stopPodNetwork, supportsPortMapping, type PodNetworkRun, type PortMapping } from './pod-network.js';

export type { AgentSetting };

export interface LocalEngineOptions {
  /** Where agents, volumes and executors live (the service's home). */
  readonly root: string;
  /** Path of the bundled executor entry point. */
  readonly executorScript: string;
  /** One entry per agent, when the operator described them; else `agentCount` agents alike. */
  readonly agentSettings?: readonly AgentSetting[];
  readonly agentCount?: number;
  readonly agentCpus?: number;
  readonly agentMem?: number;
  readonly agentDisk?: number;
  /** Env every task starts from (PATH, LANG, ...). */
  readonly baseEnv?: Readonly<Record<string, string>>;
  /** The spec's `scheduler.user`: tasks run as it when the executor hosts run as root. */
  readonly taskUser?: string;
  /** How image pulls reach registries (auth file, plain-HTTP registries). */
  readonly registries?: RegistryAccess;
  readonly log?: (msg: string) => void;
}

interface Connection {
  readonly sock: Socket;
  readonly dir: string;
  readonly pid: number;
  snapshot?: Promise<JournalTask[]>;
  closing: boolean;
}

const CONNECT_DEADLINE_MS = 10_000;

export class LocalEngine implements Engine {
  private readonly conns = new Map<string, Connection>();
  /** Per agent: the last request to its host (see onHostQueue). */
  private readonly hostQueue = new Map<string, Promise<unknown>>();
  private readonly listeners: StatusListener[] = [];
  private readonly agentList: Agent[];
  private reservationList: Reservation[];
  private closed = false;
  /** Sockets and secret shared with the executor hosts (channel.ts). */
  private readonly channel: Channel;

  constructor(private readonly opts: LocalEngineOptions) {
    mkdirSync(opts.root, { recursive: true, mode: 0o700 });
    this.channel = openChannel(opts.root, true);
    this.agentList = readJsonFile<Agent[]>(this.file('agents.json')) ?? this.createAgents();
    this.reservationList = readJsonFile<Reservation[]>(this.file('reservations.json')) ?? [];
  }

  private file(name: string): string {
    return join(this.opts.root, name);
  }

  private createAgents(): Agent[] {
    const settings = this.opts.agentSettings ?? Array.from({ length: this.opts.agentCount ?? 3 }, (): AgentSetting => ({}));
    const net = loopbackNet(this.opts.root);
    const agents: Agent[] = settings.map((s, i) => ({
      id: `agent-${i + 1}`,
      hostname: `agent-${i + 1}.local`,
      ip: `${net}.${i + 2}`,
      zone: s.zone ?? `zone-${(i % 3) + 1}`,
      region: s.region ?? 'local',
      ...(s.attributes ? { attributes: s.attributes } : {}),
      resources: {
        cpus: s.cpus ?? this.opts.agentCpus ?? 4,
        mem: s.mem ?? this.opts.agentMem ?? 8192,
        disk: s.disk ?? this.opts.agentDisk ?? 65536,
        portRanges: [[10000 + i * 1000, 10999 + i * 1000]],
      },
    }));
    writeFileAtomic(this.file('agents.json'), JSON.stringify(agents, null, 2));
    return agents;
  }

  agents(): Agent[] {
    return this.agentList;
  }

  reservations(): Reservation[] {
    return this.reservationList;
  }

  async reserve(req: ReservationRequest): Promise<Reservation> {
    const agent = this.agent(req.agentId);
    const id = randomUUID();
    const res: Reservation = req.networks?.length ? { ...req, id, ...(await this.reserveOnNetwork(agent, id, req)) } : { ...req, id, ports: await this.pickPorts(agent, req.ports) };
    for (const v of req.volumes) mkdirSync(this.volumeDir(res, v.name), { recursive: true });
    this.saveReservations([...this.reservationList, res]);
    return res;
  }

  async unreserve(reservationId: string): Promise<void> {
    const res = this.reservationList.find((r) => r.id === reservationId);
    if (!res) return;
    if (res.ip) releasePodNetwork(this.home, res.id, res.ip);
    rmSync(join(this.agentDir(res.agentId), 'volumes', res.id), { recursive: true, force: true });
    rmSync(this.executorDir(res), { recursive: true, force: true });
    this.saveReservations(this.reservationList.filter((r) => r.id !== reservationId));
  }

  async updatePorts(reservationId: string, ports: readonly PortRequest[]): Promise<Reservation> {
    const res = this.reservationList.find((r) => r.id === reservationId);
    if (!res) throw new Error(`no reservation ${reservationId}`);
    if (res.portMappings?.length) throw new Error(`the ports of a pod on a port-mapping network (${res.podInstance}) do not change with an update: replace the pod`);
    // on an overlay the ports are the pod's own: no agent's port is checked or taken
    const updated: Reservation = {
      ...res,
      ports: await updatedPorts(res.ports, ports, (added, kept) => (res.ip ? overlayPorts([...kept, ...added]).filter((p) => added.some((a) => a.name === p.name)) : this.pickPorts(this.agent(res.agentId), added))),
    };
    this.saveReservations(this.reservationList.map((r) => (r.id === reservationId ? updated : r)));
    return updated;
  }

  /** The service home ($SVC_HOME), whose pod network the service's virtual-network pods share. */
  private get home(): string {
    return dirname(this.opts.root);
  }

  /**
   * A pod on a virtual network gets its own address, leased now and kept until unreserve. As in
   * the original's PortEvaluationStage: on a network without port mapping (`dcos`) its ports are
   * its own, not the agent's (a dynamic one comes from 1025-2025); on mesos-bridge its ports are
   * reserved on the agent as on the host network, each mapped to the same port of the pod, beside
   * the network's explicit host-ports → container-ports.
   */
  private async reserveOnNetwork(agent: Agent, id: string, req: ReservationRequest): Promise<Pick<Reservation, 'ports' | 'ip' | 'portMappings'>> {
    const networks = req.networks ?? [];
    let ports: PortRequest[];
    const portMappings: PortMapping[] = [];
    if (networks.some((n) => supportsPortMapping(n.name))) {
      const explicit = networks.flatMap((n) => n.hostPorts.map((hostPort, i) => ({ name: `${n.name}:${i}`, hostPort, containerPort: n.containerPorts[i] ?? hostPort })));
      const statics = new Set(req.ports.map((p) => p.port).filter((p) => p > 0));
      const extra = explicit.filter((e) => e.hostPort === 0 || !statics.has(e.hostPort)).map((e) => ({ name: e.name, port: e.hostPort }));
      const picked = await this.pickPorts(agent, [...req.ports, ...extra]);
      ports = picked.filter((p) => req.ports.some((r) => r.name === p.name));
      for (const e of explicit) portMappings.push({ hostPort: picked.find((p) => p.name === e.name)?.port ?? e.hostPort, containerPort: e.containerPort });
      for (const p of ports) if (!portMappings.some((m) => m.hostPort === p.port)) portMappings.push({ hostPort: p.port, containerPort: p.port });
    } else {
      ports = overlayPorts(req.ports);
    }
    return { ports, ip: leaseAddress(this.home, { root: this.opts.root, reservationId: id }), portMappings };
  }

  /** Static ports must be free; dynamic ones come from the agent's ranges. Both must bind on its IP. */
  private async pickPorts(agent: Agent, wanted: readonly PortRequest[]): Promise<PortRequest[]> {
    const taken = new Set(this.reservationList.filter((r) => r.agentId === agent.id).flatMap(agentPorts));
    const out: PortRequest[] = [];
    for (const w of wanted.filter((p) => p.port > 0)) {
      if (taken.has(w.port) || !(await canBind(agent.ip, w.port))) throw new Error(`port ${w.port} (${w.name}) is not available on ${agent.id}`);
      taken.add(w.port);
      out.push(w);
    }
    for (const w of wanted.filter((p) => p.port === 0)) {
      let found = 0;
      for (const [lo, hi] of agent.resources.portRanges) {
        for (let port = lo; port <= hi && !found; port++) if (!taken.has(port) && (await canBind(agent.ip, port))) found = port;
        if (found) break;
      }
      if (!found) throw new Error(`no free port left on ${agent.id} for ${w.name}`);
      taken.add(found);
      out.push({ name: w.name, port: found });
    }
    return out;
  }

  private agent(id: string): Agent {
    const agent = this.agentList.find((a) => a.id === id);
    if (!agent) throw new Error(`unknown agent ${id}`);
    return agent;
  }

  private saveReservations(list: Reservation[]): void {
    writeFileAtomic(this.file('reservations.json'), JSON.stringify(list, null, 2));
    this.reservationList = list;
  }

  private agentDir(agentId: string): string {
    return join(this.opts.root, 'agents', agentId);
  }
  private executorDir(res: Reservation): string {
    return join(this.agentDir(res.agentId), 'executors', res.podInstance);
  }
  private volumeDir(res: Reservation, volume: string): string {
    return join(this.agentDir(res.agentId), 'volumes', res.id, volume);
  }

  private reservation(id: string): Reservation {
    const res = this.reservationList.find((r) => r.id === id);
    if (!res) throw new Error(`unknown reservation ${id}`);
    return res;
  }

  private execContext(reservationId: string, task: { readonly name: string; readonly taskId: string; readonly env: Readonly<Record<string, string>> }): ExecContext {
    const res = this.reservation(reservationId);
    const agent = this.agent(res.agentId);
    const cwd = join(this.executorDir(res), 'sandboxes', task.name);
    return {
      cwd,
      env: {
        ...this.opts.baseEnv,
        HOME: cwd, // the sandbox, as the task's only home of its own; the spec's env may set another
        ...task.env,
        MESOS_SANDBOX: cwd,
        // the pod's own address on a virtual network, as Mesos gave a container on an overlay
        MESOS_CONTAINER_IP: res.ip ?? agent.ip,
        LIBPROCESS_IP: res.ip ?? agent.ip,
        MESOS_TASK_ID: task.taskId,
        MESOS_AGENT_ID: agent.id,
        HOST: agent.hostname,
      },
    };
  }

  exec(task: TaskRef, cmd: ExecCommand, opts: ExecOptions): ExecSession {
    const ctx = this.execContext(task.reservationId, task);
    const running = journalTasks(this.executorDir(this.reservation(task.reservationId))).find((t) => t.taskId === task.taskId && t.state === 'TASK_RUNNING');
    return runExec({ ...ctx, taskId: task.taskId, taskPid: running?.pid }, cmd, opts);
  }

  logs(task: TaskRef, opts: LogOptions): AsyncIterable<string> {
    return readTaskLog(task.name, this.execContext(task.reservationId, task).cwd, opts);
  }

  unsupported(spec: ServiceSpec): Unsupported[] {
    return unsupportedFields(spec);
  }

  sweep(): Promise<void> {
    this.close();
    return sweepEngineFolder(this.opts.root);
  }

  onStatus(listener: StatusListener): void {
    this.listeners.push(listener);
  }

  private emit(update: StatusUpdate, ack: () => void = () => {}): void {
    for (const l of this.listeners) l(update, ack);
  }

  async launch(pod: PodLaunch): Promise<void> {
    const res = this.reservation(pod.reservationId);
    // the namespace first: a pod whose network cannot be made fails its launch (TASK_ERROR) at once
    const network = res.ip ? this.podNetwork(res, await ensurePodNetwork(this.home, res.id, res.ip)) : undefined;
    const conn = await this.ensureExecutor(pod.podInstance, res);
    for (const t of pod.tasks) {
      const { cwd, env } = this.execContext(res.id, t);
      writeTaskFile(conn.dir, { name: t.name, taskId: t.taskId, cwd, env, launchedAt: Date.now() });
      const task: ExecutorTask = {
        name: t.name,
        taskId: t.taskId,
        cmd: t.cmd,
        rlimits: t.rlimits,
        user: this.opts.taskUser,
        sandbox: cwd,
        env: t.secretEnv ? { ...env, ...t.secretEnv } : env,
        killGracePeriod: t.killGracePeriod,
        links: t.volumeMounts.map((m) => ({ path: m.path, target: this.volumeDir(res, m.volume) })),
        files: t.files,
        uris: t.uris,
        memoryMb: t.memoryMb,
        healthCheck: t.healthCheck,
        readinessCheck: t.readinessCheck,
        ...(t.image ? { container: containerRun(t.image, t.rlimits, this.opts.root, this.opts.registries) } : {}),
        ...(t.isolation ? { isolation: t.isolation } : {}),
        ...(network ? { network } : {}),
      };
      send(conn.sock, { op: 'launch', task });
    }
  }

  async kill(podInstance: string, taskName: string, gracePeriodSec: number): Promise<void> {
    const conn = this.conns.get(podInstance);
    if (conn) send(conn.sock, { op: 'kill', name: taskName, grace: gracePeriodSec });
  }

  async stopPod(podInstance: string, reservationId: string): Promise<void> {
    const res = this.reservationList.find((r) => r.id === reservationId);
    if (!res) return; // already released (a plan resumed after a crash): nothing runs on it any more
    const dir = this.executorDir(res);
    const pid = executorPid(dir);
    let conn = this.conns.get(podInstance);
    if (!conn && pid) conn = await this.connect(podInstance, dir, pid).catch(() => undefined);
    if (conn) {
      conn.closing = true;
      const bye = new Promise<void>((resolve) => conn.sock.once('close', () => resolve()));
      send(conn.sock, { op: 'shutdown' });
      await bye;
      this.conns.delete(podInstance);
    }
    this.reapDeadExecutor(dir);
    if (res.ip) stopPodNetwork(this.home, res.id); // nothing of the pod runs: its address stays leased
  }

  private podNetwork(res: Reservation, netnsPath: string): PodNetworkRun {
    return { netnsPath, ip: res.ip ?? '', agentIp: this.agent(res.agentId).ip, portMappings: res.portMappings ?? [] };
  }

  /** Connects to the pod instance's executor, opening one in its agent's host if none is alive. */
  private async ensureExecutor(podInstance: string, res: Reservation): Promise<Connection> {
    const existing = this.conns.get(podInstance);
    if (existing && !existing.sock.destroyed) return existing;
    const dir = this.executorDir(res);
    const pid = executorPid(dir);
    if (pid) return this.connect(podInstance, dir, pid);
    this.reapDeadExecutor(dir);
    if (res.ip) emptyPodNetwork(this.home, res.id);
    mkdirSync(dir, { recursive: true });
    rmSync(join(dir, EXECUTOR_FILES.pid), { force: true });
    return this.connect(podInstance, dir, await this.openInHost(res.agentId, dir));
  }

  /** Asks the agent's host to start the executor in `dir`, starting the host first if needed. */
  private openInHost(agentId: string, dir: string): Promise<number> {
    return this.onHostQueue(agentId, () => this.requestOpen(agentId, dir));
  }

  /** Runs `work` after the agent's earlier host requests, so at most one host process is started at a time. */
  private onHostQueue<T>(agentId: string, work: () => Promise<T>): Promise<T> {
    const next = (this.hostQueue.get(agentId) ?? Promise.resolve()).catch(() => undefined).then(work);
    this.hostQueue.set(agentId, next);
    return next;
  }

  private async requestOpen(agentId: string, dir: string): Promise<number> {
    const agentDir = this.agentDir(agentId);
    const deadline = Date.now() + CONNECT_DEADLINE_MS;
    for (;;) {
      const sock = await this.dialHost(agentDir, deadline);
      const pid = await new Promise<number>((resolve) => {
        readLines<FromHost>(sock, (msg) => msg.op === 'opened' && msg.dir === dir && resolve(msg.pid));
        sock.on('error', () => sock.destroy());
        sock.once('close', () => resolve(0)); // the host is exiting: start another
        send(sock, { op: 'open', dir });
      });
      sock.destroy();
      if (pid) return pid;
      if (Date.now() > deadline) throw new Error(`cannot reach the executor host of ${agentId}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** A connection to the agent's host, spawning the host when none is alive. */
  private async dialHost(agentDir: string, deadline: number): Promise<Socket> {
    let spawned = 0;
    for (;;) {
      const sock = await dialDir(this.channel, agentDir).catch(() => undefined);
      if (sock) return sock;
      if (!hostAlive(agentDir) && !pidAlive(spawned)) spawned = this.spawnHost(agentDir);
      if (Date.now() > deadline) throw new Error(`cannot reach the executor host in ${agentDir}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Starts the executor host of each agent that has none, ahead of the first launches: a node
   * process takes ~100 ms to start, which a deploy would otherwise wait for on every agent in turn.
   * A host that gets no pod instance exits by itself.
   */
  warmUp(): void {
    for (const agent of this.agentList) {
      const agentDir = this.agentDir(agent.id);
      if (hostAlive(agentDir)) continue;
      void this.onHostQueue(agent.id, async () => (await this.dialHost(agentDir, Date.now() + CONNECT_DEADLINE_MS)).destroy()).catch(() => undefined);
    }
  }

  private spawnHost(agentDir: string): number {
    mkdirSync(agentDir, { recursive: true });
    const log = openSync(join(agentDir, EXECUTOR_FILES.log), 'a');
    const child = spawn(process.execPath, [this.opts.executorScript, agentDir], { detached: true, stdio: ['ignore', log, log], cwd: agentDir });
    closeSync(log);
    child.unref();
    return child.pid ?? 0;
  }

  private async connect(podInstance: string, dir: string, pid: number): Promise<Connection> {
    const deadline = Date.now() + CONNECT_DEADLINE_MS;
    for (;;) {
      try {
        return this.attach(podInstance, dir, pid, await dialDir(this.channel, dir));
      } catch (e) {
        if (Date.now() > deadline || (pid && !pidAlive(pid))) throw new Error(`cannot reach executor of ${podInstance}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  private attach(podInstance: string, dir: string, pid: number, sock: Socket): Connection {
    let resolveSnapshot: (t: JournalTask[]) => void = () => {};
    const conn: Connection = { sock, dir, pid, closing: false, snapshot: new Promise((r) => (resolveSnapshot = r)) };
    this.conns.set(podInstance, conn);
    sock.on('error', () => sock.destroy());
    readLines<FromExecutor>(sock, (msg) => {
      if (msg.op === 'snapshot') resolveSnapshot(msg.tasks);
      else if (msg.op === 'status') {
        this.emit({ podInstance, taskName: msg.name, status: coreStatus(msg.status) }, () => send(sock, { op: 'ack', seq: msg.seq }));
      }
    });
    sock.on('close', () => {
      resolveSnapshot([]);
      if (this.conns.get(podInstance) === conn) this.conns.delete(podInstance);
      if (!conn.closing && !this.closed) void this.onDisconnect(podInstance, conn);
    });
    send(sock, { op: 'hello' });
    return conn;
  }

  /** An executor connection dropped: reconnect if it lives, else report its tasks lost. */
  private async onDisconnect(podInstance: string, conn: Connection): Promise<void> {
    if (executorPid(conn.dir) === conn.pid) {
      await this.connect(podInstance, conn.dir, conn.pid).catch(() => undefined);
      if (this.conns.has(podInstance)) return;
    }
    const lostTasks = this.reapDeadExecutor(conn.dir);
    this.opts.log?.(`executor of ${podInstance} (pid ${conn.pid}) is gone; ${lostTasks.length} task(s) lost: ${lostTasks.map((t) => t.name).join(', ') || 'none'}`);
    for (const t of lostTasks) this.emit({ podInstance, taskName: t.name, status: lost(t.taskId, 'executor terminated') });
  }

  /**
   * After an executor died: kills what is left of its tasks (their process groups, from the
   * journal) and returns the tasks that were not terminal.
   */
  private reapDeadExecutor(dir: string): JournalTask[] {
    const live = liveJournalTasks(dir);
    for (const t of live) signalGroup(t.ref, 'SIGKILL'); // only the group the journal saw: pids outlive reboots
    for (const t of live) reapContainer(this.opts.root, t.taskId); // a container outlives its runc process
    removeCgroupsSoon(new Set(journaledTaskIds(dir))); // named by the journal, which goes next
    rmSync(join(dir, EXECUTOR_FILES.journal), { force: true });
    return live;
  }

  async reconcile(expected: readonly ExpectedTask[]): Promise<void> {
    const byPod = new Map<string, ExpectedTask[]>();
    for (const t of expected) byPod.set(t.podInstance, [...(byPod.get(t.podInstance) ?? []), t]);
    await Promise.all(
      [...byPod].map(async ([podInstance, tasks]) => {
        const res = this.reservationList.find((r) => r.id === tasks[0].reservationId);
        const dir = res ? this.executorDir(res) : '';
        const pid = res ? executorPid(dir) : undefined;
        let snapshot: JournalTask[] = [];
        if (res && pid) {
          const conn = await this.connect(podInstance, dir, pid).catch(() => undefined);
          snapshot = (await conn?.snapshot) ?? [];
        } else if (res) {
          this.reapDeadExecutor(dir);
        }
        for (const t of tasks) {
          if (!snapshot.some((s) => s.taskId === t.taskId)) this.emit({ podInstance, taskName: t.taskName, status: lost(t.taskId, 'unknown to its executor') });
        }
      }),
    );
  }

  close(): void {
    this.closed = true;
    for (const c of this.conns.values()) {
      c.closing = true;
      c.sock.destroy();
    }
    this.conns.clear();
  }
}

/** A host process's command line ends with its agent folder (checked so a reused pid never counts). */
export const hostAlive = (agentDir: string, pid = readPid(join(agentDir, EXECUTOR_FILES.pid))): boolean => pidAlive(pid, `${agentDir}\0`);

/** The pid of the live host running the executor in `dir` (agents/<id>/executors/<pod>), if any. */
export function executorPid(dir: string): number | undefined {
  const pid = readPid(join(dir, EXECUTOR_FILES.pid));
  return pid && hostAlive(dirname(dirname(dir)), pid) ? pid : undefined;
}

/**
 * Each service's agents get their own /24 of the loopback range (127.a.b.0, picked from the
 * service folder), so two services on one machine never race for the same ip:port.
 */
export function loopbackNet(root: string): string {
  const h = createHash('sha256').update(root).digest();
  return `127.${1 + (h[0] % 254)}.${h[1] % 255}`;
}

/** A pod's ports on an overlay: its own, so static ones stay and dynamic ones take the first free of 1025-2025. */
function overlayPorts(wanted: readonly PortRequest[]): PortRequest[] {
  const used = new Set(wanted.map((p) => p.port).filter((p) => p > 0));
  return wanted.map((w) => {
    if (w.port > 0) return w;
    let port = OVERLAY_PORT_RANGE[0];
    while (used.has(port) && port <= OVERLAY_PORT_RANGE[1]) port++;
    if (port > OVERLAY_PORT_RANGE[1]) throw new Error(`no free port left in ${OVERLAY_PORT_RANGE.join('-')} for ${w.name}`);
    used.add(port);
    return { name: w.name, port };
  });
}

function lost(taskId: string, why: string): TaskStatusRecord {
  return { taskId, state: 'TASK_LOST', message: `task lost: ${why}`, timestamp: Date.now() / 1000 };
}

function canBind(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}


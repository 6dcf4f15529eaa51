// The executor of one running pod instance, hosted by its agent's detached process (agent-host.ts)
// so tasks outlive the scheduler. It runs each task as its own process group in the task's sandbox,
// kills with grace, and journals every status change (fsync) before reporting it; unacknowledged
// updates are replayed on reconnect. It has its own socket, so the engine talks to each pod alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, fchownSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { appendDurably } from '../../util/fs.js';
import { killGroup } from '../../util/kill-group.js';
import { pidFiles, processRef, type ProcessRef } from '../../util/process-ref.js';
import type { Server, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { isTerminal, type TaskState, type TaskStatusRecord } from '../types.js';
import type { ExecutorStatus } from './journal.js';
import { fetchUri } from './fetcher.js';
import { memoryCgroup } from './limits.js';
import { withRlimits } from './rlimits.js';
import { grantTaskUser, taskUser } from './task-user.js';
import { commandRunner, watchHealth, watchReadiness } from './checks.js';
import { acceptLines, type Channel } from './channel.js';
import { ContainerError, prepareContainer, type Container } from './container.js';
import { ImageError } from './images.js';
import { isolatedCommand } from './host-isolation.js';
import { inNetns, PodNetworkError, type PodNetworkRun } from './pod-network.js';
import { forwardIntoNetns, forwardPorts, type Forwarder } from './port-forward.js';
import { EXECUTOR_FILES, send, serveDir, type ExecutorTask, type FromExecutor, type SnapshotTask, type ToExecutor } from './protocol.js';

interface RunningTask {
  readonly spec: ExecutorTask;
  child?: ChildProcess;
  pid?: number;
  /** Journaled with each status, so a later clean-up signals this process group and no other. */
  ref?: ProcessRef;
  state: TaskState;
  killRequested: boolean;
  killTimer?: NodeJS.Timeout;
  /** Settles once the task's process is spawned or its launch gave up (its sandbox and container prepared, or not). */
  started?: Promise<void>;
  exited?: Promise<void>;
  stopChecks: Array<() => void>;
  ready: boolean;
  /** uid/gid the task runs as, when not the executor's own (checks run as it too). */
  ids?: { uid?: number; gid?: number };
  /** Set when the task runs in a container (its signals and checks go through runc). */
  box?: Container;
  /** Set when the health check killed the task: the reason it failed. */
  unhealthy?: string;
}

/** bash where it exists (real specs use bash-isms such as `trap … SIGTERM`), else sh. */
export const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

export class Executor {
  private readonly tasks = new Map<string, RunningTask>();
  private readonly unacked: Array<Extract<FromExecutor, { op: 'status' }>> = [];
  private seq = 0;
  private conn?: Socket;
  private server?: Server;
  private closing = false;
  private closed = false;
  private readonly journalFd: number;
  /** The pod's port mappings (mesos-bridge), listening from its first task's launch until shutdown. */
  private forwarder?: Promise<Forwarder>;
  /** The scheduler API made reachable inside the pod's namespace, by its host:port. */
  private readonly apiBridges = new Map<string, Promise<Forwarder | undefined>>();

  /** `onClosed` runs once the pod was shut down and its socket is closed. */
  constructor(
    private readonly dir: string,
    private readonly channel: Channel,
    private readonly onClosed: () => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.journalFd = openSync(join(dir, EXECUTOR_FILES.journal), 'a');
    this.seq = lastSeq(join(dir, EXECUTOR_FILES.journal));
  }

  async listen(): Promise<void> {
    this.server = await serveDir(this.channel, this.dir, (sock) => this.accept(sock));
  }

  private accept(sock: Socket): void {
    sock.on('error', () => sock.destroy());
    sock.on('close', () => {
      if (this.conn === sock) this.conn = undefined;
    });
    // one scheduler at a time: the newest connection that proved itself with the secret wins
    const authenticated = () => {
      if (this.conn !== sock) this.conn?.destroy();
      this.conn = sock;
    };
    acceptLines<ToExecutor>(sock, this.channel, authenticated, (msg) => this.handle(sock, msg));
  }

  private handle(sock: Socket, msg: ToExecutor): void {
    if (this.closing) return; // shutting down: nothing new starts
    switch (msg.op) {
      case 'auth':
        return; // only ever the first line, checked by acceptLines
      case 'hello':
        send(sock, { op: 'snapshot', tasks: this.snapshot() });
        for (const u of this.unacked) send(sock, u);
        return;
      case 'launch':
        this.launch(msg.task);
        return;
      case 'kill':
        this.kill(msg.name, msg.grace);
        return;
      case 'ack': {
        while (this.unacked.length > 0 && this.unacked[0].seq <= msg.seq) this.unacked.shift();
        return;
      }
      case 'shutdown':
        void this.shutdown(sock);
        return;
    }
  }

  private snapshot(): SnapshotTask[] {
    return [...this.tasks.values()].map((t) => ({ name: t.spec.name, taskId: t.spec.taskId, state: t.state, pid: t.pid }));
  }

  private report(task: RunningTask, state: TaskState, message: string, extra: Partial<TaskStatusRecord> = {}): void {
    task.state = state;
    if (this.closed) return; // a fetch that outlived its pod's shutdown: nobody is listening
    const status: ExecutorStatus = { taskId: task.spec.taskId, state, message, timestamp: Date.now() / 1000, pid: task.pid, ...extra };
    const entry = { op: 'status' as const, seq: this.seq + 1, name: task.spec.name, status, ...(task.ref ? { ref: task.ref } : {}) };
    try {
      appendDurably(this.journalFd, JSON.stringify(entry) + '\n');
    } catch (e) {
      // not journaled, not reported: the engine learns the state from the next snapshot instead
      process.stderr.write(`${task.spec.name}: status ${state} not journaled: ${(e as Error).message}\n`);
      return;
    }
    this.seq = entry.seq;
    this.unacked.push(entry);
    if (this.conn) send(this.conn, entry);
  }

  launch(spec: ExecutorTask): void {
    const previous = this.tasks.get(spec.name);
    if (previous && !isTerminal(previous.state)) {
      if (previous.spec.taskId === spec.taskId) return; // a resent launch: already running
      this.kill(spec.name, previous.spec.killGracePeriod); // a new incarnation (config update) replaces it
    }
    const task: RunningTask = { spec, state: 'TASK_STAGING', killRequested: false, stopChecks: [], ready: false };
    this.tasks.set(spec.name, task);
    const start = async () => {
      // the previous incarnation's preparation too: both would prepare the same container folder
      await previous?.started;
      await previous?.exited;
      // a container's process runs as the pod's user inside its image (oci-spec.ts), not a host user
      const as = spec.container ? {} : taskUser(spec.user);
      if ('error' in as) {
        this.report(task, 'TASK_FAILED', as.error);
        return;
      }
      let isolated: { file: string; args: readonly string[] } | undefined;
      // under way while the sandbox (and container) is prepared: it starts a node process (~0.1 s)
      const api = spec.network && this.bridgeSchedulerApi(spec, spec.network);
      try {
        prepareSandbox(spec.container ? { ...spec, links: [] } : spec); // a container gets its volumes as mounts
        for (const uri of spec.uris) await fetchUri(uri, spec.sandbox);
        // <service home>/agents/<agent>/executors/<pod>: the service home is four folders up
        if (as.user) {
          const volumes = spec.links.map((l) => l.target);
          grantTaskUser(as.user, dirname(dirname(dirname(dirname(this.dir)))), spec.sandbox, volumes, spec.files.map((f) => f.path));
        }
        if (spec.container) task.box = await prepareContainer({ ...spec, container: { ...spec.container, ...(spec.network ? { netnsPath: spec.network.netnsPath } : {}) } });
        isolated = spec.isolation && isolatedCommand(SHELL, spec.cmd, spec.sandbox, spec.isolation);
        if (spec.network) await this.forwardPorts(spec.network);
        await api;
      } catch (e) {
        const lasting = e instanceof ImageError || e instanceof ContainerError || e instanceof PodNetworkError; // retrying at once would fail alike
        this.report(task, lasting ? 'TASK_ERROR' : 'TASK_FAILED', `${lasting ? '' : 'sandbox setup failed: '}${(e as Error).message}`);
        return;
      }
      const ids = as.user ? { uid: as.user.uid, gid: as.user.gid } : {};
      if (task.killRequested) {
        await task.box?.remove();
        this.report(task, 'TASK_KILLED', 'killed before it started');
        return;
      }
      // a container gets its rlimits from runc (oci-spec.ts); a host process from prlimit
      const limited = task.box ? { argv: [task.box.file, ...task.box.args] } : withRlimits(spec.rlimits, isolated ? [isolated.file, ...isolated.args] : [SHELL, '-c', spec.cmd]);
      if ('error' in limited) {
        this.report(task, 'TASK_FAILED', limited.error);
        return;
      }
      // a host process of a pod on a virtual network enters the pod's namespace (as root: nsenter drops to the task's user)
      const netns = !task.box && spec.network ? spec.network.netnsPath : undefined;
      const argv = netns ? inNetns(netns, ids, limited.argv) : limited.argv;
      const out = openSync(join(spec.sandbox, 'stdout'), 'a');
      const err = openSync(join(spec.sandbox, 'stderr'), 'a');
      if (ids.uid !== undefined) for (const fd of [out, err]) fchownSync(fd, ids.uid, ids.gid); // the task's own output, as in its sandbox
      const child = spawn(argv[0], argv.slice(1), { cwd: spec.sandbox, env: spec.env, detached: true, stdio: ['ignore', out, err], ...(netns ? {} : ids) });
      closeSync(out);
      closeSync(err);
      task.child = child;
      task.ids = ids;
      const cgroup = child.pid && !task.box ? memoryCgroup(`${spec.taskId}`, spec.memoryMb) : undefined;
      try {
        if (child.pid) cgroup?.add(child.pid);
      } catch (e) {
        process.stderr.write(`${spec.name}: memory limit not applied: ${(e as Error).message}\n`);
      }
      if (cgroup) task.stopChecks.push(() => cgroup.remove());
      const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, sig) => resolve([code, sig])));
      let exited!: () => void;
      task.exited = new Promise((resolve) => (exited = resolve));
      child.once('error', (e) => {
        this.report(task, 'TASK_FAILED', `launch failed: ${e.message}`);
        if (child.pid === undefined) exited(); // never ran: no exit to wait for
      });
      if (child.pid === undefined) return;
      task.pid = child.pid;
      task.ref = processRef(child.pid);
      // a host task runs once spawned; a container's task once runc started it (not when runc did)
      const running = task.box ? task.box.started(exit) : Promise.resolve(true);
      void exit.then(async ([code, signal]) => {
        await running; // its RUNNING first, if it ran
        clearTimeout(task.killTimer);
        killGroup(child.pid, 'SIGKILL'); // nothing of the task outlives it, nor keeps its cgroup busy
        for (const stop of task.stopChecks) stop();
        // before its end is told: a relaunch reuses the container's folder
        await task.box?.remove().catch((e: Error) => process.stderr.write(`${spec.name}: container not removed: ${e.message}\n`));
        if (task.unhealthy) this.report(task, 'TASK_FAILED', task.unhealthy, { exitCode: code ?? undefined });
        else if (task.killRequested) this.report(task, 'TASK_KILLED', `killed (${signal ?? `exit ${code}`})`, { exitCode: code ?? undefined });
        else if (code === 0) this.report(task, 'TASK_FINISHED', 'exited with code 0', { exitCode: 0 });
        else this.report(task, 'TASK_FAILED', signal ? `killed by signal ${signal}` : `exited with code ${code}`, { exitCode: code ?? undefined });
        exited();
      });
      if (!(await running)) return; // runc ended before the task's process ran: its exit reports it
      this.report(task, 'TASK_RUNNING', `running as pid ${child.pid}`, spec.readinessCheck ? { ready: false } : {});
      this.startChecks(task);
    };
    task.started = start().catch((e: unknown) => this.report(task, 'TASK_FAILED', `launch failed: ${(e as Error).message}`));
  }

  private startChecks(task: RunningTask): void {
    const { spec } = task;
    const run = task.box?.checks ?? commandRunner(SHELL, spec.sandbox, spec.env, task.ids, spec.network?.netnsPath);
    if (spec.readinessCheck) {
      task.stopChecks.push(
        watchReadiness(spec.readinessCheck, run, () => {
          if (task.state !== 'TASK_RUNNING') return;
          task.ready = true;
          this.report(task, 'TASK_RUNNING', 'readiness check passed', { ready: true });
        }),
      );
    }
    if (spec.healthCheck) {
      task.stopChecks.push(
        watchHealth(spec.healthCheck, run, (n) => {
          if (task.state !== 'TASK_RUNNING' || task.killRequested) return;
          task.unhealthy = `health check failed ${n} times in a row`;
          task.killRequested = true;
          signal(task, 'SIGKILL');
        }),
      );
    }
  }

  kill(name: string, grace: number): void {
    const task = this.tasks.get(name);
    if (!task || isTerminal(task.state) || task.killRequested) return;
    task.killRequested = true;
    if (!task.pid) return;
    signal(task, grace > 0 ? 'SIGTERM' : 'SIGKILL');
    if (grace > 0) task.killTimer = setTimeout(() => signal(task, 'SIGKILL'), grace * 1000);
  }

  /** Kills every task with its grace period and resolves when all have exited. */
  async stopAll(): Promise<void> {
    for (const t of this.tasks.values()) this.kill(t.spec.name, t.spec.killGracePeriod);
    // a task still being prepared (a pull, a rootfs mount) is killed once that is done: wait for it
    await Promise.all([...this.tasks.values()].map((t) => t.started));
    await Promise.all([...this.tasks.values()].map((t) => t.exited));
    for (const t of this.tasks.values()) for (const stop of t.stopChecks) stop(); // cgroups, once empty
    const forwarders = [this.forwarder, ...this.apiBridges.values()];
    this.forwarder = undefined;
    this.apiBridges.clear();
    await Promise.all(forwarders.map((f) => f?.then((x) => x?.close()).catch(() => undefined)));
  }

  /**
   * A task on a virtual network reaches the scheduler at SCHEDULER_API_HOSTNAME:PORT as any task
   * does: when that is a loopback address, it is made to answer inside the pod's namespace too.
   * Without it the task still runs (the API is then out of its reach), so a failure is only logged.
   */
  private async bridgeSchedulerApi(spec: ExecutorTask, net: PodNetworkRun): Promise<void> {
    const host = spec.env.SCHEDULER_API_HOSTNAME ?? '';
    const port = Number(spec.env.SCHEDULER_API_PORT);
    if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || !Number.isInteger(port) || port <= 0 || port > 65535) return;
    const key = `${host}:${port}`;
    if (!this.apiBridges.has(key)) {
      const bridge = forwardIntoNetns(net.netnsPath, host, port).catch((e: Error) => {
        process.stderr.write(`${spec.name}: the scheduler API is out of reach inside the pod's network: ${e.message}\n`);
        this.apiBridges.delete(key); // the next launch tries again
        return undefined;
      });
      this.apiBridges.set(key, bridge);
    }
    await this.apiBridges.get(key);
  }

  /** Starts the pod's port mappings once; a port that cannot be bound fails the launch. */
  private async forwardPorts(net: PodNetworkRun): Promise<void> {
    if (net.portMappings.length === 0) return;
    this.forwarder ??= forwardPorts(net.agentIp, net.ip, net.portMappings);
    try {
      await this.forwarder;
    } catch (e) {
      this.forwarder = undefined; // the next launch tries again
      throw new PodNetworkError((e as Error).message);
    }
  }

  /** Kills every task, says bye and closes: the pod instance no longer runs on this agent. */
  private async shutdown(sock: Socket): Promise<void> {
    this.closing = true;
    await this.stopAll();
    for (const f of pidFiles(join(this.dir, EXECUTOR_FILES.pid))) rmSync(f, { force: true }); // no live executor for the engine to find
    this.server?.close();
    this.closed = true;
    closeSync(this.journalFd);
    send(sock, { op: 'bye' });
    sock.end(() => {
      sock.destroy();
      this.onClosed();
    });
  }
}

/**
 * A container's processes through runc (its foreground `runc run` would not pass SIGKILL on), else
 * the task's process group; also that group when the container is not created yet (runc run dies
 * before it starts one).
 */
function signal(task: RunningTask, sig: 'SIGTERM' | 'SIGKILL'): void {
  if (task.box) void task.box.signal(sig).catch(() => killGroup(task.pid, sig));
  else killGroup(task.pid, sig);
}

/** The `bootstrap` every sandbox gets, as original specs call `./bootstrap` first in their cmd. */
const BOOTSTRAP = `#!/bin/sh\nexec "${process.execPath}" "${join(import.meta.dirname ?? '', 'bootstrap.js')}" "$@"\n`;

function prepareSandbox(spec: ExecutorTask): void {
  mkdirSync(spec.sandbox, { recursive: true });
  writeFileSync(join(spec.sandbox, 'bootstrap'), BOOTSTRAP);
  chmodSync(join(spec.sandbox, 'bootstrap'), 0o755);
  // volumes first: a file delivered under a volume's path (a secret in `data/`) lands in the volume
  for (const link of spec.links) {
    mkdirSync(link.target, { recursive: true });
    const at = join(spec.sandbox, link.path);
    if (existsSync(at)) continue;
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(link.target, at);
  }
  for (const f of spec.files) {
    const at = join(spec.sandbox, f.path);
    mkdirSync(dirname(at), { recursive: true });
    const data = f.encoding === 'base64' ? Buffer.from(f.content, 'base64') : f.content;
    if (f.mode === undefined) writeFileSync(at, data);
    else {
      rmSync(at, { force: true }); // a read-only file of the previous run (a rotated secret, a renewed certificate)
      writeFileSync(at, data, { mode: f.mode, flag: 'wx' });
      chmodSync(at, f.mode); // whatever the umask
    }
  }
}

function lastSeq(journal: string): number {
  try {
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    const last = lines[lines.length - 1];
    return last ? (JSON.parse(last) as { seq: number }).seq : 0;
  } catch {
    return 0;
  }
}

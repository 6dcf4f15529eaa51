// The line-delimited JSON protocol between the local engine (in the scheduler) and an executor.
import { existsSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { readJsonLines, socketPath, type Channel } from './channel.js';
import { join } from 'node:path';
import { writePidFile, type ProcessRef } from '../../util/process-ref.js';
import type { CheckRequest, SandboxFile, TaskStatusRecord } from '../types.js';
import type { ExecutorStatus } from './journal.js';
import type { RLimit } from './rlimits.js';
import type { ContainerRun } from './container.js';
import type { HostIsolation } from '../image-launch.js';
import type { PodNetworkRun } from './pod-network.js';

/** A task as the executor runs it: everything resolved to absolute paths and a full env. */
export interface ExecutorTask {
  readonly name: string;
  readonly taskId: string;
  readonly cmd: string;
  /** Applied with prlimit before the command runs (rlimits.ts). */
  readonly rlimits: readonly RLimit[];
  /** The spec's `scheduler.user`: whom the task runs as when the executor is root (task-user.ts). */
  readonly user?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly sandbox: string;
  /** Symlinks to create inside the sandbox: relative path → persistent volume directory. */
  readonly links: ReadonlyArray<{ readonly path: string; readonly target: string }>;
  readonly files: ReadonlyArray<SandboxFile>;
  readonly uris: readonly string[];
  /** Memory limit in MB, enforced with a cgroup where the kernel lets us. */
  readonly memoryMb: number;
  readonly killGracePeriod: number;
  readonly healthCheck?: CheckRequest;
  readonly readinessCheck?: CheckRequest;
  /** Set when the task runs in a container of its pod's image. */
  readonly container?: ContainerRun;
  /** Set for a host process that needs its own /dev/shm or host volumes. */
  readonly isolation?: HostIsolation;
  /** Set for a pod on a virtual network: the namespace its tasks join, and its port mappings. */
  readonly network?: PodNetworkRun;
}

export interface SnapshotTask {
  readonly name: string;
  readonly taskId: string;
  readonly state: TaskStatusRecord['state'];
  readonly pid?: number;
  /** The task's main process (leader of its process group), checked before any signal to it. */
  readonly ref?: ProcessRef;
}

export type ToExecutor =
  | { op: 'auth'; secret: string }
  | { op: 'hello' }
  | { op: 'launch'; task: ExecutorTask }
  | { op: 'kill'; name: string; grace: number }
  | { op: 'ack'; seq: number }
  | { op: 'shutdown' };

export type FromExecutor =
  | { op: 'snapshot'; tasks: SnapshotTask[] }
  | { op: 'status'; seq: number; name: string; status: ExecutorStatus; ref?: ProcessRef }
  | { op: 'bye' };

/** To an agent's executor host: start (or find) the executor of the pod instance in `dir`. */
export type ToHost = { op: 'auth'; secret: string } | { op: 'open'; dir: string };
export type FromHost = { op: 'opened'; dir: string; pid: number };

/**
 * Serves `dir`'s socket in the service's runtime folder (channel.ts), then writes this process's pid
 * into `dir` (so whoever finds the pid file can connect at once). A socket file nobody answers on
 * (its process died) is replaced; one that answers means another process serves `dir`.
 */
export async function serveDir(ch: Channel, dir: string, onConnection: (sock: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  const path = socketPath(ch, dir);
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  try {
    await listen();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (await answers(path))) throw e;
    rmSync(path, { force: true });
    await listen();
  }
  // an uninstall may have swept the folder while this process started: do not recreate it
  if (!existsSync(dir)) {
    server.close();
    throw new Error(`${dir} is gone`);
  }
  writePidFile(join(dir, EXECUTOR_FILES.pid));
  return server;
}

export function send(sock: Socket, msg: ToExecutor | FromExecutor | ToHost | FromHost): void {
  if (!sock.destroyed) sock.write(JSON.stringify(msg) + '\n');
}

/** Calls `onMessage` for each complete JSON line read from the socket (the engine's side). */
export function readLines<T>(sock: Socket, onMessage: (msg: T) => void): void {
  readJsonLines(sock, (msg) => onMessage(msg as T));
}

/** True when a process accepts connections on the socket file `path`. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export const EXECUTOR_FILES = { pid: 'executor.pid', journal: 'journal.jsonl', log: 'executor.log' } as const;

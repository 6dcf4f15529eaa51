// The line-delimited JSON protocol between the local engine (in the scheduler) and an executor.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/fs.js';
import type { CheckRequest, TaskStatusRecord } from '../types.js';
import type { ContainerRun } from './container.js';
import type { HostIsolation } from '../image-launch.js';

/** A task as the executor runs it: everything resolved to absolute paths and a full env. */
export interface ExecutorTask {
  readonly name: string;
  readonly taskId: string;
  readonly cmd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly sandbox: string;
  /** Symlinks to create inside the sandbox: relative path → persistent volume directory. */
  readonly links: ReadonlyArray<{ readonly path: string; readonly target: string }>;
  readonly files: ReadonlyArray<{ readonly path: string; readonly content: string }>;
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
}

export interface SnapshotTask {
  readonly name: string;
  readonly taskId: string;
  readonly state: TaskStatusRecord['state'];
  readonly pid?: number;
}

export type ToExecutor =
  | { op: 'hello' }
  | { op: 'launch'; task: ExecutorTask }
  | { op: 'kill'; name: string; grace: number }
  | { op: 'ack'; seq: number }
  | { op: 'shutdown' };

export type FromExecutor =
  | { op: 'snapshot'; tasks: SnapshotTask[] }
  | { op: 'status'; seq: number; name: string; status: TaskStatusRecord }
  | { op: 'bye' };

/** To an agent's executor host: start (or find) the executor of the pod instance in `dir`. */
export type ToHost = { op: 'open'; dir: string };
export type FromHost = { op: 'opened'; dir: string; pid: number };

/** Abstract unix socket name (no file, no 108-byte path limit; gone when the executor dies). */
export const socketName = (executorDir: string): string => `\0svc-executor-${createHash('sha256').update(executorDir).digest('hex').slice(0, 40)}`;

/**
 * Serves `dir`'s abstract socket, then writes this process's pid into `dir` (so whoever finds the
 * pid file can connect at once).
 */
export async function serveDir(dir: string, onConnection: (sock: Socket) => void): Promise<Server> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketName(dir), () => resolve());
  });
  // an uninstall may have swept the folder while this process started: do not recreate it
  if (!existsSync(dir)) {
    server.close();
    throw new Error(`${dir} is gone`);
  }
  writeFileAtomic(join(dir, EXECUTOR_FILES.pid), String(process.pid));
  return server;
}

export function send(sock: Socket, msg: ToExecutor | FromExecutor | ToHost | FromHost): void {
  if (!sock.destroyed) sock.write(JSON.stringify(msg) + '\n');
}

/** Calls `onMessage` for each complete JSON line read from the socket. */
export function readLines<T>(sock: Socket, onMessage: (msg: T) => void): void {
  let buf = '';
  sock.setEncoding('utf8');
  sock.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.trim()) onMessage(JSON.parse(line) as T);
    }
  });
}

export const EXECUTOR_FILES = { pid: 'executor.pid', journal: 'journal.jsonl', log: 'executor.log' } as const;

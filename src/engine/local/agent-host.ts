// One detached process per virtual agent hosts the executors of the pod instances placed on it, like
// a cluster agent: a node process costs ~40 MB and ~30 ms of CPU to start, which one per pod
// instance multiplied by every pod. Each hosted executor keeps its own socket and journal. The host
// exits when its last pod instance shuts down (or none arrives after start-up); killing it loses
// every task of the agent, which the engine reports and recovers like an agent failure.
import type { Server, Socket } from 'node:net';
import { Executor } from './executor.js';
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { acceptLines, type Channel } from './channel.js';
import { send, serveDir, type ToHost } from './protocol.js';

/**
 * How long a host that never got a pod instance waits before exiting (started ahead of a deploy
 * that placed nothing on its agent, or its scheduler died); SVC_EXECUTOR_IDLE_EXIT_MS for tests.
 */
const IDLE_EXIT_MS = Number(process.env.SVC_EXECUTOR_IDLE_EXIT_MS) || 10_000;

export class AgentHost {
  private readonly executors = new Map<string, Executor>();
  private readonly opening = new Map<string, Promise<void>>();
  private server?: Server;
  private exiting = false;

  constructor(
    private readonly agentDir: string,
    private readonly channel: Channel,
  ) {}

  async listen(): Promise<void> {
    this.server = await serveDir(this.channel, this.agentDir, (sock) => this.accept(sock));
    setTimeout(() => this.exitIfIdle(), IDLE_EXIT_MS).unref();
  }

  private accept(sock: Socket): void {
    sock.on('error', () => sock.destroy());
    acceptLines<ToHost>(sock, this.channel, () => {}, (msg) => {
      if (msg.op !== 'open') return;
      if (this.exiting) return void sock.destroy(); // the engine retries with a new host
      const refused = this.outsideExecutors(msg.dir);
      if (refused) {
        process.stderr.write(`refused to open an executor in ${JSON.stringify(msg.dir)}: ${refused}\n`);
        return void sock.destroy();
      }
      void this.open(msg.dir).then(
        () => send(sock, { op: 'opened', dir: msg.dir, pid: process.pid }),
        (e: Error) => {
          process.stderr.write(`cannot start the executor of ${msg.dir}: ${e.message}\n`);
          sock.destroy();
        },
      );
    });
  }

  /** Why `dir` is not a pod instance folder of this agent (`<agent>/executors/<pod>`, symlinks resolved), or undefined. */
  private outsideExecutors(dir: unknown): string | undefined {
    if (typeof dir !== 'string' || !isAbsolute(dir)) return 'not an absolute path';
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return 'no such folder';
    }
    const executors = realpathSync(join(this.agentDir, 'executors'));
    if (dirname(real) !== executors) return `not a folder directly under ${executors}`;
    return undefined;
  }

  private open(dir: string): Promise<void> {
    if (this.executors.has(dir)) return Promise.resolve();
    let opening = this.opening.get(dir);
    if (!opening) {
      const executor = new Executor(dir, this.channel, () => {
        this.executors.delete(dir);
        this.exitIfIdle();
      });
      opening = executor.listen().then(
        () => {
          this.executors.set(dir, executor);
          this.opening.delete(dir);
        },
        (e: Error) => {
          this.opening.delete(dir);
          throw e;
        },
      );
      this.opening.set(dir, opening);
    }
    return opening;
  }

  private exitIfIdle(): void {
    if (this.executors.size > 0 || this.opening.size > 0 || this.exiting) return;
    this.exiting = true;
    this.server?.close();
    process.exit(0);
  }

  /** Kills every task of every pod instance on the agent (SIGTERM to the host), then exits. */
  async stopAll(): Promise<void> {
    this.exiting = true;
    await Promise.all([...this.executors.values()].map((e) => e.stopAll()));
    process.exit(0);
  }
}

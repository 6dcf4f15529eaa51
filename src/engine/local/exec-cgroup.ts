// An exec joins its task's memory cgroup where the executor made one (svc/<task-id> under the memory
// controller), in a child cgroup of its own (exec-<n>), so it shares the task's limit and every
// process it starts can be found and killed when it ends, even one that left its process group.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ExecCgroup {
  /** The cgroup.procs file a process writes its pid into to join. */
  readonly procs: string;
  /** SIGKILLs every process still in it and removes it (once the killed are reaped). */
  end(): Promise<void>;
}

const V1 = '/sys/fs/cgroup/memory';
const V2 = '/sys/fs/cgroup';

/** The task's memory cgroup, read from its process (so a reused pid in another cgroup never counts). */
export function taskCgroup(pid: number, taskId: string): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  for (const line of lines) {
    const [, controllers, path] = line.split(':');
    if (path === undefined || !path.endsWith(`/svc/${taskId}`)) continue;
    if (controllers.split(',').includes('memory')) return join(V1, path);
    if (controllers === '' && existsSync(join(V2, 'cgroup.controllers'))) return join(V2, path);
  }
  return undefined;
}

let counter = 0;

/** A fresh child cgroup of the task's, or undefined where there is none or it cannot be made. */
export function execCgroup(taskDir: string | undefined): ExecCgroup | undefined {
  if (!taskDir) return undefined;
  const dir = join(taskDir, `exec-${process.pid}-${++counter}`);
  try {
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  return { procs: join(dir, 'cgroup.procs'), end: () => endCgroup(dir) };
}

/** Kills what is in a cgroup (a fork racing the kill is caught by the next round) and removes it. */
export async function endCgroup(dir: string): Promise<void> {
  for (let round = 0; round < 50; round++) {
    const pids = procsOf(dir);
    if (pids.length === 0) break;
    for (const pid of pids) killPid(pid);
  }
  for (let round = 0; round < 100; round++) {
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      // EBUSY while the killed processes are reaped
      await new Promise((r) => setTimeout(r, 10));
      for (const pid of procsOf(dir)) killPid(pid);
    }
  }
}

function procsOf(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The exec cgroups left under a task cgroup (uninstall's sweep ends them). */
export function execCgroupsUnder(taskDir: string): string[] {
  try {
    return readdirSync(taskDir, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name.startsWith('exec-')).map((d) => join(taskDir, d.name));
  } catch {
    return [];
  }
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

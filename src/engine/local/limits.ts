// Memory limits for tasks where the kernel lets us set them: a cgroup per task under the memory
// controller (cgroup v2 with the memory controller enabled, else cgroup v1). Without a writable
// cgroup hierarchy tasks run unlimited, and the executor says so in its log once.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MemoryCgroup {
  /** Moves a process into the cgroup. */
  add(pid: number): void;
  remove(): void;
}

const V2 = '/sys/fs/cgroup';
const V1 = '/sys/fs/cgroup/memory';

function root(): { dir: string; limitFile: string } | undefined {
  try {
    if (existsSync(join(V2, 'cgroup.controllers')) && readFileSync(join(V2, 'cgroup.controllers'), 'utf8').includes('memory')) {
      return { dir: join(V2, 'svc'), limitFile: 'memory.max' };
    }
    if (existsSync(join(V1, 'memory.limit_in_bytes'))) return { dir: join(V1, 'svc'), limitFile: 'memory.limit_in_bytes' };
  } catch {
    // no usable hierarchy
  }
  return undefined;
}

/** A cgroup limiting memory to `mb`, or undefined when this machine offers none we can write. */
export function memoryCgroup(name: string, mb: number): MemoryCgroup | undefined {
  const r = root();
  if (!r || mb <= 0) return undefined;
  const dir = join(r.dir, name);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, r.limitFile), String(Math.ceil(mb * 1024 * 1024)));
  } catch {
    return undefined;
  }
  return {
    add: (pid) => writeFileSync(join(dir, 'cgroup.procs'), String(pid)),
    remove: () => removeWhenEmpty(dir),
  };
}

/**
 * Removes the cgroups (`svc/<id>` under every controller, v1 or v2) of the tasks with these ids:
 * ours and those runc made for containers. Exact ids only: cgroup names are machine-wide, and a
 * service of the same name may run from another $SVC_HOME. A process still in one (a straggler of
 * a killed task, a check) is killed, and a busy cgroup is retried for up to `waitMs` while the
 * kernel reaps what was killed.
 */
export function removeCgroups(taskIds: ReadonlySet<string>, waitMs = 5000): void {
  const deadline = Date.now() + waitMs;
  for (const dir of cgroupsOf(taskIds)) {
    // the kernel reaps what was killed
    while (!removedOrHopeless(dir, deadline)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

/** As removeCgroups, without blocking the caller: for a process that serves other tasks meanwhile. */
export function removeCgroupsSoon(taskIds: ReadonlySet<string>): void {
  for (const dir of cgroupsOf(taskIds)) removeWhenEmpty(dir);
}

function cgroupsOf(taskIds: ReadonlySet<string>): string[] {
  const base = '/sys/fs/cgroup';
  let parents: string[] = [];
  try {
    parents = [join(base, 'svc'), ...readdirSync(base).map((c) => join(base, c, 'svc'))].filter((d) => existsSync(d));
  } catch {
    return [];
  }
  return parents.flatMap((parent) => {
    try {
      return readdirSync(parent).filter((n) => taskIds.has(n)).map((n) => join(parent, n));
    } catch {
      return [];
    }
  });
}

/**
 * Removes a task's cgroup once the kernel has reaped its processes, without blocking the executor
 * host (it serves other tasks): stragglers are killed and the removal is retried every 20 ms for up
 * to `waitMs`. Task ids are new for every launch, so no later task can be in this cgroup.
 */
function removeWhenEmpty(dir: string, waitMs = 2000): void {
  const deadline = Date.now() + waitMs;
  const attempt = (): void => {
    if (!removedOrHopeless(dir, deadline)) setTimeout(attempt, 20).unref();
  };
  attempt();
}

/**
 * One try at removing a cgroup: true when it is gone, or cannot go (another error, or past the
 * deadline: left to uninstall's sweep); false when it is still busy, its stragglers just killed.
 */
function removedOrHopeless(dir: string, deadline: number): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EBUSY' || Date.now() > deadline) return true;
    for (const pid of procsOf(dir)) killQuietly(pid);
    return false;
  }
}

function procsOf(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

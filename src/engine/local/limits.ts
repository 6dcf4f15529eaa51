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
    remove: () => {
      try {
        rmdirSync(dir);
      } catch {
        // still busy or already gone: the next task of this name reuses it
      }
    },
  };
}

/** Removes leftover cgroups of tasks whose ids start with `prefix` (after a forced cleanup). */
export function removeCgroups(prefix: string): void {
  const r = root();
  if (!r) return;
  let names: string[] = [];
  try {
    names = readdirSync(r.dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    try {
      rmdirSync(join(r.dir, n));
    } catch {
      // busy: a process is still in it
    }
  }
}

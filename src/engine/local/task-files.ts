// What the local engine writes beside each executor so the tasks can be reached from this machine
// without a scheduler (`svc task exec -it`, `svc task log`): one file per task launched,
// agents/<agent>/executors/<pod>/tasks/<task>.json (0600), with its sandbox and full env.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../../util/fs.js';
import type { ExecContext } from '../types.js';
import { liveJournalTasks } from './journal.js';

export interface TaskFile extends ExecContext {
  readonly name: string;
  readonly taskId: string;
  /** ms since the epoch: of two files for one name (a pod moved), the newer is the task. */
  readonly launchedAt: number;
}

const TASKS = 'tasks';

export function writeTaskFile(executorDir: string, t: TaskFile): void {
  writeFileAtomic(join(executorDir, TASKS, `${t.name}.json`), JSON.stringify(t), 0o600);
}

/** Every task file under an engine folder, with the executor folder it sits in. */
export function readTaskFiles(root: string): Array<TaskFile & { readonly executorDir: string }> {
  const out: Array<TaskFile & { executorDir: string }> = [];
  for (const agent of ls(join(root, 'agents'))) {
    for (const pod of ls(join(root, 'agents', agent, 'executors'))) {
      const executorDir = join(root, 'agents', agent, 'executors', pod);
      for (const f of ls(join(executorDir, TASKS))) {
        const t = f.endsWith('.json') ? readJsonFile<TaskFile>(join(executorDir, TASKS, f)) : undefined;
        if (t) out.push({ ...t, executorDir });
      }
      for (const t of launchedBeforeTaskFiles(executorDir, out)) out.push({ ...t, executorDir });
    }
  }
  return out;
}

/**
 * Tasks launched by a version that wrote no task files, still running: their sandbox is known and
 * their env is the one their process started with.
 */
function launchedBeforeTaskFiles(executorDir: string, known: readonly TaskFile[]): TaskFile[] {
  return liveJournalTasks(executorDir).flatMap((t) => {
    if (!t.pid || known.some((k) => k.taskId === t.taskId)) return [];
    const env = processEnv(t.pid);
    // a reused pid belongs to another process: only the task's own carries its id
    return env?.MESOS_TASK_ID === t.taskId ? [{ name: t.name, taskId: t.taskId, cwd: join(executorDir, 'sandboxes', t.name), env, launchedAt: 0 }] : [];
  });
}

function processEnv(pid: number): Record<string, string> | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
    return Object.fromEntries(entries.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  } catch {
    return undefined;
  }
}

export function ls(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

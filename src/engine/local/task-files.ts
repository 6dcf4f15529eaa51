// What the local engine writes beside each executor so the tasks can be reached from this machine
// without a scheduler (`svc task exec -it`, `svc task log`): one file per task launched,
// agents/<agent>/executors/<pod>/tasks/<task>.json (0600), with its sandbox and full env.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../../util/fs.js';
import type { ExecContext } from '../types.js';

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
    }
  }
  return out;
}

export function ls(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

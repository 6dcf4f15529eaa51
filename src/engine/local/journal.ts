// An executor's journal (journal.jsonl in its folder): every status change of its tasks, with the
// pid of each task's process group. Pids stay in the local engine: the core's records carry none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTerminal, type TaskStatusRecord } from '../types.js';
import type { ProcessRef } from '../../util/process-ref.js';
import { EXECUTOR_FILES } from './protocol.js';

/** A status as the executor journals and reports it: the core's record plus the task's pid. */
export interface ExecutorStatus extends TaskStatusRecord {
  readonly pid?: number;
}

export interface JournalTask {
  readonly name: string;
  readonly taskId: string;
  readonly state: TaskStatusRecord['state'];
  readonly pid?: number;
  /** The task's process (pid, start time, boot): its group is signalled only while it is that very process. */
  readonly ref?: ProcessRef;
}

/** The core's part of an executor status (the pid dropped). */
export function coreStatus(s: ExecutorStatus): TaskStatusRecord {
  const { pid: _pid, ...rest } = s;
  return rest;
}

/** The last journaled status of each task of the executor in `dir` (a torn last line from a crash is skipped). */
export function journalTasks(dir: string): JournalTask[] {
  let text: string;
  try {
    text = readFileSync(join(dir, EXECUTOR_FILES.journal), 'utf8');
  } catch {
    return [];
  }
  const last = new Map<string, JournalTask>();
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as { name: string; status: ExecutorStatus; ref?: ProcessRef };
      last.set(e.name, { name: e.name, taskId: e.status.taskId, state: e.status.state, pid: e.status.pid, ref: e.ref });
    } catch {
      // a torn last line
    }
  }
  return [...last.values()];
}

/** The tasks an executor's journal last saw alive. */
export const liveJournalTasks = (dir: string): JournalTask[] => journalTasks(dir).filter((t) => !isTerminal(t.state));

/** Every task id the executor in `dir` ever journaled (each incarnation's): the names of their cgroups. */
export function journaledTaskIds(dir: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(dir, EXECUTOR_FILES.journal), 'utf8');
  } catch {
    return [];
  }
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    try {
      ids.add((JSON.parse(line) as { status: { taskId: string } }).status.taskId);
    } catch {
      // a torn last line
    }
  }
  return [...ids];
}

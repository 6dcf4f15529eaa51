// The local engine's tasks reached from this machine by name, from the files the engine writes
// beside each executor: for an operator's `svc task exec -it` with a real TTY and `svc task log`.
import type { ExecCommand, ExecOptions, LocalTasks, LogOptions } from '../types.js';
import { runExec } from './exec.js';
import { journalTasks } from './journal.js';
import { readTaskLog } from './logs.js';
import { readTaskFiles } from './task-files.js';

export function localTasks(root: string): LocalTasks {
  /** Of two files for one name (a pod moved to another agent), the newer one is the task. */
  const find = (name: string) =>
    readTaskFiles(root)
      .filter((t) => t.name === name)
      .sort((a, b) => b.launchedAt - a.launchedAt)[0];
  return {
    names: () => [...new Set(readTaskFiles(root).map((t) => t.name))].sort(),
    exec(name: string, cmd: ExecCommand, opts: ExecOptions) {
      const t = find(name);
      if (!t) return undefined;
      const running = journalTasks(t.executorDir).find((j) => j.taskId === t.taskId && j.state === 'TASK_RUNNING');
      // with -t the command draws on the operator's terminal: it needs that terminal's type (the
      // window size it reads from the TTY itself)
      const env = opts.tty ? { ...t.env, TERM: process.env.TERM || 'xterm' } : t.env;
      return runExec({ cwd: t.cwd, env, taskId: t.taskId, taskPid: running?.pid }, cmd, opts);
    },
    logs(name: string, opts: LogOptions) {
      const t = find(name);
      return t ? readTaskLog(name, t.cwd, opts) : undefined;
    },
  };
}

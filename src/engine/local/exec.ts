// Task exec on the local engine: a command in the task's sandbox, with its env, in a process group
// of its own inside the task's cgroup (where it has one). When the command ends, or the caller
// kills the session (a client went away), the whole group and the exec's cgroup are killed, so
// nothing it started outlives it. It runs as the task's user: when svc is root and the task runs as
// another user (scheduler.user), the shell joins the cgroup as root, then drops to that user
// (setpriv, supplementary groups cleared) before the command runs.
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { ExecFailed, type ExecCommand, type ExecContext, type ExecOptions, type ExecSession } from '../types.js';
import { containerExecArgv } from './container-exec.js';
import { killGroup } from '../../util/kill-group.js';
import { execCgroup, taskCgroup } from './exec-cgroup.js';

export interface ExecTarget extends ExecContext {
  readonly taskId: string;
  /** The task's live process, whose cgroup the exec joins. */
  readonly taskPid?: number;
}

/**
 * Joins the cgroup (its procs file is $0, when there is one) before anything else runs, then becomes
 * the command; a command that cannot run is reported by the shell (exit 127), with or without cgroup.
 */
const JOIN_THEN_EXEC = '[ -z "$0" ] || echo $$ > "$0" 2>/dev/null; exec "$@"';

/**
 * Whom an exec must run as when svc is root: its sandbox's owner, as the engine gives a task user
 * its sandbox at every launch (the task's pid, read from a journal, may since name another process);
 * undefined when that is root itself.
 */
export function execUser(cwd: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined; // svc's own user: tasks run as it
  try {
    const st = statSync(cwd);
    return st.uid === 0 ? undefined : { uid: st.uid, gid: st.gid };
  } catch {
    return undefined; // no sandbox: spawn fails, naming the folder
  }
}

export function runExec(target: ExecTarget, command: ExecCommand, opts: ExecOptions): ExecSession {
  // a task in a container: the command runs in there through `runc exec` (its namespaces and cgroup)
  const boxed = containerExecArgv(target.cwd, command.cmd, command.args, !!opts.tty);
  const cgroup = boxed ? undefined : execCgroup(target.taskPid ? taskCgroup(target.taskPid, target.taskId) : undefined);
  const stdin = opts.stdin === 'inherit' ? 'inherit' : 'ignore';
  // a task running as another user (svc as root): the command drops to it once in the cgroup
  const user = boxed ? undefined : execUser(target.cwd);
  const drop = user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'] : [];
  // a task of a pod on a virtual network: the command joins the pod's network namespace too
  const netns = boxed || !target.taskPid ? undefined : taskNetns(target.taskPid, target.taskId);
  const argv = boxed
    ? [boxed.file, ...boxed.args]
    : [...(netns ? ['nsenter', `--net=${netns}`, '--'] : []), '/bin/sh', '-c', JOIN_THEN_EXEC, cgroup?.procs ?? '', ...drop, command.cmd, ...command.args];
  const child = spawn(argv[0], argv.slice(1), {
    cwd: target.cwd,
    env: target.env,
    stdio: opts.tty ? 'inherit' : [stdin, 'pipe', 'pipe'],
    // With a TTY the command stays in this terminal's session (a shell there runs its own job
    // control); else it leads a session and process group of its own.
    detached: !opts.tty,
  });
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    // the group is the child's own (detached), or the one an interactive shell made for itself
    if (child.pid) killGroup(child.pid);
    void cgroup?.end();
  };
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', (e) => {
      end();
      reject(new ExecFailed(`cannot run ${command.cmd} in ${target.cwd}: ${e.message}`));
    });
    child.once('exit', (code, signal) => {
      end();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 9));
    });
  });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    exit,
    kill: () => {
      end();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * The network namespace of a task's process when it is not this process's own (its pod is on a
 * virtual network); the pid counts as the task's only while its environment names the task.
 */
function taskNetns(pid: number, taskId: string): string | undefined {
  try {
    if (readlinkSync(`/proc/${pid}/ns/net`) === readlinkSync('/proc/self/ns/net')) return undefined;
    if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`MESOS_TASK_ID=${taskId}`)) return undefined;
    return `/proc/${pid}/ns/net`;
  } catch {
    return undefined; // gone, or not ours to read: the exec runs in this process's network
  }
}

// Health and readiness checks, run by the executor beside a task: a command in the task's sandbox
// and env, every `interval` seconds after `delay`, killed after `timeout`.
import { spawn } from 'node:child_process';
import type { CheckRequest } from '../types.js';
import { killGroup } from '../../util/kill-group.js';
import { inNetns } from './pod-network.js';

export type CheckRunner = (check: CheckRequest) => Promise<boolean>;

/** `netnsPath`: the check runs in the pod's network namespace (a pod on a virtual network), entered as root before dropping to `ids`. */
export function commandRunner(shell: string, cwd: string, env: Readonly<Record<string, string>>, ids: { uid?: number; gid?: number } = {}, netnsPath?: string): CheckRunner {
  const argv = (cmd: string) => (netnsPath ? inNetns(netnsPath, ids, [shell, '-c', cmd]) : [shell, '-c', cmd]);
  return (check) =>
    new Promise((resolve) => {
      const [file, ...args] = argv(check.cmd);
      const child = spawn(file, args, { cwd, env, stdio: 'ignore', detached: true, ...(netnsPath ? {} : ids) });
      const timer = setTimeout(() => killGroup(child.pid), check.timeout * 1000);
      child.once('error', () => resolve(false));
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code === 0);
      });
    });
}

/** Runs the readiness check until it passes once; then calls onReady. Returns a stop function. */
export function watchReadiness(check: CheckRequest, run: CheckRunner, onReady: () => void): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    if (await run(check)) {
      if (!stopped) onReady();
      return;
    }
    if (!stopped) timer = setTimeout(tick, check.interval * 1000);
  };
  timer = setTimeout(tick, check.delay * 1000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Runs the health check every interval; failures inside the grace period do not count, and
 * `maxConsecutiveFailures` failures in a row call onUnhealthy once. Returns a stop function.
 */
export function watchHealth(check: CheckRequest, run: CheckRunner, onUnhealthy: (failures: number) => void, now: () => number = Date.now): () => void {
  const graceUntil = now() + check.gracePeriod * 1000;
  let failures = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    const ok = await run(check);
    if (stopped) return;
    if (ok) failures = 0;
    else if (now() >= graceUntil) failures++;
    if (failures >= check.maxConsecutiveFailures) {
      onUnhealthy(failures);
      return;
    }
    timer = setTimeout(tick, Math.max(check.interval, 0.05) * 1000);
  };
  timer = setTimeout(tick, check.delay * 1000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

// What the kill -9 suites share: the scheduler's pid (a missing one is a failed assertion, never
// pid 0, whose kill is our own process group), a kill that waits for the supervisor's restart, the
// API of the restarted scheduler, and the counts docs/reliability.md reports.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { pidAlive, waitFor } from './helpers.js';

/**
 * How many kill -9 instants each scenario aims for: SVC_FAULT_INSTANTS (npm run reliability sets
 * 20), else `ciDefault`, kept small so `npm test` stays within its budget.
 */
export function faultInstants(ciDefault: number): { target: number; ciDefault: number } {
  const n = Number(process.env.SVC_FAULT_INSTANTS);
  return { target: Number.isInteger(n) && n > 0 ? n : ciDefault, ciDefault };
}

/** The scheduler's pid, or undefined once its folder is gone (uninstalled). */
export function schedulerPidIfAny(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, 'scheduler.pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The scheduler's pid, which must exist. */
export function schedulerPid(dir: string): number {
  const pid = schedulerPidIfAny(dir);
  expect(pid, `${join(dir, 'scheduler.pid')} names no scheduler`).toBeGreaterThan(0);
  return pid as number;
}

/** The service's API, as the scheduler now serving it wrote it. */
export async function api(dir: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const { url } = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')) as { url: string };
  const token = readFileSync(join(dir, 'token'), 'utf8').trim();
  const res = await fetch(url + path, { method, headers: { authorization: `token=${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
}

/** SIGKILLs the scheduler and waits until the supervisor has restarted it and its API answers. */
export async function killScheduler(dir: string): Promise<void> {
  const pid = schedulerPid(dir);
  process.kill(pid, 'SIGKILL');
  await waitFor('scheduler restarted', async () => {
    const now = schedulerPidIfAny(dir);
    return now !== undefined && now !== pid && pidAlive(now) && (await api(dir, 'GET', '/v1/plans')).status === 200;
  }, 30_000);
}

/**
 * From every executor journal of the service: task names that ever had two incarnations alive at
 * once (a double launch).
 */
export function doubleLaunches(dir: string): string[] {
  const twice = new Set<string>();
  let agents: string[] = [];
  try {
    agents = readdirSync(join(dir, 'agents'));
  } catch {
    return [];
  }
  for (const agent of agents) {
    let pods: string[] = [];
    try {
      pods = readdirSync(join(dir, 'agents', agent, 'executors'));
    } catch {
      continue;
    }
    for (const pod of pods) {
      const alive = new Map<string, Set<string>>();
      let lines: string[] = [];
      try {
        lines = readFileSync(join(dir, 'agents', agent, 'executors', pod, 'journal.jsonl'), 'utf8').trim().split('\n').filter(Boolean);
      } catch {
        continue; // an executor that never launched
      }
      for (const line of lines) {
        const e = JSON.parse(line) as { name: string; status: { taskId: string; state: string } };
        const set = alive.get(e.name) ?? new Set<string>();
        if (['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST'].includes(e.status.state)) set.delete(e.status.taskId);
        else set.add(e.status.taskId);
        alive.set(e.name, set);
        if (set.size > 1) twice.add(e.name);
      }
    }
  }
  return [...twice].sort();
}

/** Task names the executors of the service ever launched (from their journals). */
export function launchedTasks(dir: string): Set<string> {
  const names = new Set<string>();
  let agents: string[] = [];
  try {
    agents = readdirSync(join(dir, 'agents'));
  } catch {
    return names;
  }
  for (const agent of agents) {
    let pods: string[] = [];
    try {
      pods = readdirSync(join(dir, 'agents', agent, 'executors'));
    } catch {
      continue;
    }
    for (const pod of pods) {
      try {
        for (const line of readFileSync(join(dir, 'agents', agent, 'executors', pod, 'journal.jsonl'), 'utf8').split('\n')) {
          if (line) names.add((JSON.parse(line) as { name: string }).name);
        }
      } catch {
        // no journal: nothing launched there
      }
    }
  }
  return names;
}

/** The measured outcome of a kill -9 scenario, as docs/reliability.md's table shows it. */
export interface KillFigures {
  kills: number;
  /** Volumes checked for their canary file, and how many had lost it. */
  volumesChecked: number;
  lostVolumes: number;
  doubleLaunches: number;
  leftoverProcesses: number;
  /** Operator decisions checked after a restart, and how many no longer held. */
  decisionsChecked: number;
  lostDecisions: number;
}

export const noFigures = (): KillFigures => ({ kills: 0, volumesChecked: 0, lostVolumes: 0, doubleLaunches: 0, leftoverProcesses: 0, decisionsChecked: 0, lostDecisions: 0 });

/**
 * A kill -9 scenario's line for docs/reliability.md, from its measured figures; written only when
 * RELIABILITY_LOG names a file (npm run reliability). Call it before asserting, so a run that
 * fails still shows what it measured.
 */
export function recordKills(entry: { when: 'during' | 'after'; what: string; seed: number; instants: { target: number; ciDefault: number }; figures: KillFigures }): void {
  const file = process.env.RELIABILITY_LOG;
  if (file) appendFileSync(file, `${JSON.stringify({ kind: 'kills', ...entry })}\n`);
}

/** Every figure that must be 0 is. */
export function expectClean(f: KillFigures): void {
  expect({ lostVolumes: f.lostVolumes, doubleLaunches: f.doubleLaunches, leftoverProcesses: f.leftoverProcesses, lostDecisions: f.lostDecisions }).toEqual({ lostVolumes: 0, doubleLaunches: 0, leftoverProcesses: 0, lostDecisions: 0 });
}

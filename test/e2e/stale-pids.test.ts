// Pid files and executor journals outlive their processes (a reboot, a crash): no signal may reach
// an unrelated process that holds one of their pids today. Each unrelated process here is a `sleep`
// this test starts, leading its own process group as a task would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeRuntimeDir } from '../../src/engine/local/channel.js';
import { LocalEngine } from '../../src/engine/local/local-engine.js';
import type { StatusUpdate } from '../../src/engine/types.js';
import { processRef, signalGroup, type ProcessRef } from '../../src/util/process-ref.js';
import { pidAlive, runSvc, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const sleepers: ChildProcess[] = [];
afterAll(() => {
  for (const s of sleepers) s.kill('SIGKILL');
  t.cleanup();
});

/** An unrelated live process leading its own group. */
function sleeper(): number {
  const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
  sleepers.push(child);
  return child.pid as number;
}

const ref = (pid: number): ProcessRef => processRef(pid) as ProcessRef;
/** The same pid as written before a reboot: another start time, or another boot. */
const staleRefs = (pid: number): ProcessRef[] => [
  { ...ref(pid), start: String(Number(ref(pid).start) - 1) },
  { ...ref(pid), boot: '00000000-0000-0000-0000-000000000000' },
];

function journal(dir: string, entries: Array<{ name: string; taskId: string; pid: number; ref?: ProcessRef }>): void {
  mkdirSync(dir, { recursive: true });
  const lines = entries.map((e, i) => JSON.stringify({ op: 'status', seq: i + 1, name: e.name, status: { taskId: e.taskId, state: 'TASK_RUNNING', message: '', timestamp: 0, pid: e.pid }, ...(e.ref ? { ref: e.ref } : {}) }));
  writeFileSync(join(dir, 'journal.jsonl'), lines.join('\n') + '\n');
}

describe('signals only reach the processes their pid files and journals were written by', () => {
  it('signalGroup signals a group it references and none whose leader started at another time or boot', () => {
    const own = sleeper();
    const other = sleeper();
    for (const stale of staleRefs(other)) expect(signalGroup(stale, 'SIGKILL')).toBe(false);
    expect(signalGroup(ref(own), 'SIGKILL')).toBe(true);
    return waitFor('own sleeper killed', () => !pidAlive(own)).then(() => expect(pidAlive(other)).toBe(true));
  });

  it('svc uninstall signals none of the unrelated processes its pid files, reference files and journals name', async () => {
    const dir = join(t.home, 'stale');
    const pids = { supervisor: sleeper(), scheduler: sleeper(), host: sleeper(), executor: sleeper(), task: sleeper(), task2: sleeper(), task3: sleeper() };
    mkdirSync(join(dir, 'agents', 'agent-1', 'executors', 'pod-0'), { recursive: true });
    writeFileSync(join(dir, 'service.json'), JSON.stringify({ name: 'stale', source: { kind: 'spec', path: '/nowhere.yml' }, installedAt: '2026-01-01T00:00:00Z' }));
    writeFileSync(join(dir, 'token'), 'x');
    // bare pid files, as left by a version without references; and stale references
    writeFileSync(join(dir, 'supervisor.pid'), String(pids.supervisor));
    writeFileSync(join(dir, 'scheduler.pid'), String(pids.scheduler));
    writeFileSync(join(dir, 'scheduler.pid.ref'), JSON.stringify(staleRefs(pids.scheduler)[0]));
    writeFileSync(join(dir, 'agents', 'agent-1', 'executor.pid'), String(pids.host));
    writeFileSync(join(dir, 'agents', 'agent-1', 'executor.pid.ref'), JSON.stringify(staleRefs(pids.host)[1]));
    writeFileSync(join(dir, 'agents', 'agent-1', 'executors', 'pod-0', 'executor.pid'), String(pids.executor));
    journal(join(dir, 'agents', 'agent-1', 'executors', 'pod-0'), [
      { name: 'server', taskId: 'a', pid: pids.task },
      { name: 'helper', taskId: 'b', pid: pids.task2, ref: staleRefs(pids.task2)[0] },
      { name: 'other', taskId: 'c', pid: pids.task3, ref: staleRefs(pids.task3)[1] },
    ]);
    const r = await runSvc(['uninstall', 'stale', '--yes'], t.env);
    expect(r.code, r.stderr).toBe(0);
    for (const [what, pid] of Object.entries(pids)) expect([what, pidAlive(pid)]).toEqual([what, true]);
  });

  it("the engine's reconcile reports tasks of a dead executor lost without signalling what holds their pids now", async () => {
    const root = join(t.home, 'engine-root');
    const pids = [sleeper(), sleeper(), sleeper()];
    const control = sleeper(); // a task the journal does reference: it is killed, after the others
    const reservation = { id: 'r1', agentId: 'agent-1', podInstance: 'pod-0', cpus: 0.1, mem: 16, disk: 0, volumes: [], ports: [] };
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'reservations.json'), JSON.stringify([reservation]));
    const execDir = join(root, 'agents', 'agent-1', 'executors', 'pod-0');
    journal(execDir, [
      { name: 'a', taskId: 'ta', pid: pids[0] },
      { name: 'b', taskId: 'tb', pid: pids[1], ref: staleRefs(pids[1])[0] },
      { name: 'c', taskId: 'tc', pid: pids[2], ref: staleRefs(pids[2])[1] },
      { name: 'd', taskId: 'td', pid: control, ref: ref(control) },
    ]);
    writeFileSync(join(execDir, 'executor.pid'), String(pids[0])); // a dead executor's pid, reused by an unrelated process
    const engine = new LocalEngine({ root, executorScript: '/nonexistent.js' });
    const updates: StatusUpdate[] = [];
    engine.onStatus((u) => updates.push(u));
    await engine.reconcile(['a', 'b', 'c', 'd'].map((n) => ({ podInstance: 'pod-0', reservationId: 'r1', taskName: n, taskId: `t${n}` })));
    engine.close();
    removeRuntimeDir(root);
    expect(updates.map((u) => [u.taskName, u.status.state]).sort()).toEqual([['a', 'TASK_LOST'], ['b', 'TASK_LOST'], ['c', 'TASK_LOST'], ['d', 'TASK_LOST']]);
    await waitFor('the referenced task killed', () => !pidAlive(control));
    for (const pid of pids) expect(pidAlive(pid)).toBe(true);
  });
});

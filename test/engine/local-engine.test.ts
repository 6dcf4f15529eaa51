// The local engine's contract methods on real processes: exec (its whole process group ends with
// it, inside the task's cgroup where the machine has one), logs, unsupported fields, sweep, the
// CLI's access to tasks through the engine's own files, and status records without pids.
// Needs the built executor (node build.mjs).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/engine/local/local-engine.js';
import { createEngine, engineKind, localTasks } from '../../src/engine/registry.js';
import { NoTaskOutput, type ExecSession, type StatusUpdate, type TaskRef } from '../../src/engine/types.js';
import { parseServiceSpec } from '../../src/spec/index.js';
import { ROOT, waitFor } from '../e2e/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'svc-engine-'));
const prefix = `enginetest${process.pid}__`;
const taskId = `${prefix}web-0-server__1`;
const statuses: StatusUpdate[] = [];
let engine: LocalEngine;
let task: TaskRef;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
};
/** The first `n` lines an exec writes. */
async function firstLines(s: ExecSession, n: number): Promise<string[]> {
  let out = '';
  s.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return waitFor(`${n} lines`, () => out.split('\n').length > n && out.split('\n').slice(0, n), 10_000);
}
async function outputOf(s: ExecSession): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  s.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  s.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const code = await s.exit;
  await Promise.all([s.stdout, s.stderr].map((p) => p && !p.closed && new Promise((r) => p.once('close', r))));
  return { code, stdout, stderr };
}
const running = () => statuses.find((u) => u.status.state === 'TASK_RUNNING' && u.status.taskId === taskId);

beforeAll(async () => {
  engine = (await createEngine('local', { root, taskIdPrefix: prefix, executorScript: join(ROOT, 'dist/executor.js'), agentCount: 1, baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' } })) as LocalEngine;
  engine.onStatus((u, ack) => {
    statuses.push(u);
    ack();
  });
  const res = await engine.reserve({ agentId: 'agent-1', podInstance: 'web-0', cpus: 0.1, mem: 64, disk: 0, volumes: [], ports: [] });
  task = { reservationId: res.id, name: 'web-0-server', taskId, env: { TASK_NAME: 'web-0-server' } };
  await engine.launch({
    podInstance: 'web-0',
    reservationId: res.id,
    tasks: [{ ...task, cmd: 'echo hello; echo oops >&2; exec sleep 1000', volumeMounts: [], files: [], uris: [], memoryMb: 64, rlimits: [], killGracePeriod: 0 }],
  });
  await waitFor('the task running', running, 20_000);
}, 30_000);

afterAll(async () => {
  await engine.sweep();
  rmSync(root, { recursive: true, force: true });
});

describe('the local engine', () => {
  it('reports statuses without pids: those stay in its journal', () => {
    expect(running()?.status).not.toHaveProperty('pid');
    const journal = readFileSync(join(root, 'agents/agent-1/executors/web-0/journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"pid":\d+/);
  });

  it('exec runs in the sandbox with the task env and passes the exit status', async () => {
    const r = await outputOf(engine.exec(task, { cmd: 'sh', args: ['-c', 'echo $TASK_NAME $MESOS_TASK_ID; pwd; echo e >&2; exit 3'] }, { tty: false, stdin: 'none' }));
    expect(r).toEqual({ code: 3, stdout: `web-0-server ${taskId}\n${join(root, 'agents/agent-1/executors/web-0/sandboxes/web-0-server')}\n`, stderr: 'e\n' });
    const missing = await outputOf(engine.exec(task, { cmd: 'no-such-command', args: [] }, { tty: false, stdin: 'none' }));
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('no-such-command');
  });

  it('exec: when the client goes, the whole process group ends, grandchildren included', async () => {
    const s = engine.exec(task, { cmd: 'sh', args: ['-c', 'echo $$; sleep 300 & echo $!; wait'] }, { tty: false, stdin: 'none' });
    const [shell, sleeper] = (await firstLines(s, 2)).map(Number);
    expect(alive(sleeper)).toBe(true);
    // inside the task's memory cgroup, where the executor could make one
    const taskCgroup = readFileSync(`/proc/${running() ? pidOfTask() : 0}/cgroup`, 'utf8').includes(`/svc/${taskId}`);
    if (taskCgroup) expect(readFileSync(`/proc/${sleeper}/cgroup`, 'utf8')).toMatch(new RegExp(`/svc/${taskId}/exec-`));
    s.kill();
    expect(await s.exit).toBe(137);
    await waitFor('the grandchild gone', () => !alive(sleeper) && !alive(shell), 5_000);
  });

  it('exec: when the command ends, what it left in the background ends too', async () => {
    const s = engine.exec(task, { cmd: 'sh', args: ['-c', 'sleep 300 & echo $!'] }, { tty: false, stdin: 'none' });
    const [sleeper] = (await firstLines(s, 1)).map(Number);
    expect(await s.exit).toBe(0);
    await waitFor('the background sleep gone', () => !alive(sleeper), 5_000);
  });

  it('logs: whole, the last lines, stderr, and followed until aborted', async () => {
    const read = async (it: AsyncIterable<string>) => {
      let t = '';
      for await (const x of it) t += x;
      return t;
    };
    expect(await read(engine.logs(task, { stream: 'stdout', follow: false }))).toBe('hello\n');
    expect(await read(engine.logs(task, { stream: 'stderr', follow: false }))).toBe('oops\n');
    await outputOf(engine.exec(task, { cmd: 'sh', args: ['-c', 'echo two >> stdout; echo three >> stdout'] }, { tty: false, stdin: 'none' }));
    expect(await read(engine.logs(task, { stream: 'stdout', follow: false, lines: 1 }))).toBe('three\n');
    const abort = new AbortController();
    let seen = '';
    const following = (async () => {
      for await (const x of engine.logs(task, { stream: 'stdout', follow: true, lines: 0, signal: abort.signal })) seen += x;
    })();
    // appended until seen: a line written before the follow's first read is not shown (lines: 0)
    await waitFor('a followed line', async () => {
      await outputOf(engine.exec(task, { cmd: 'sh', args: ['-c', 'echo four >> stdout'] }, { tty: false, stdin: 'none' }));
      return seen.includes('four\n');
    }, 5_000, 250);
    expect(seen).toMatch(/^(four\n)+$/);
    abort.abort();
    await following;
    await expect(read(engine.logs({ ...task, name: 'web-0-ghost' }, { stream: 'stdout', follow: false }))).rejects.toBeInstanceOf(NoTaskOutput);
  });

  it('unsupported: each field it cannot run, with its YAML path and a reason', () => {
    const spec = parseServiceSpec(readFileSync(join(ROOT, 'test/fixtures/unsupported.yml'), 'utf8'));
    const issues = engine.unsupported(spec);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['pods.web.seccomp-profile-name', 'pods.web.tasks.server.gpus']));
    for (const i of issues) expect(i.message).toMatch(/^not supported by the local engine: \S/);
    expect(engine.unsupported(parseServiceSpec('name: ok\npods:\n  a:\n    count: 1\n    tasks:\n      t:\n        goal: RUNNING\n        cmd: "true"\n        cpus: 0.1\n        memory: 32\n'))).toEqual([]);
  });

  it("the CLI's local access finds the task by name in the engine's own files", async () => {
    const local = await localTasks('local', root);
    expect(local?.names()).toEqual(['web-0-server']);
    expect(local?.exec('nope', { cmd: 'true', args: [] }, { tty: false, stdin: 'none' })).toBeUndefined();
    const s = local?.exec('web-0-server', { cmd: 'sh', args: ['-c', 'echo $TASK_NAME; cat stdout | head -1'] }, { tty: false, stdin: 'none' });
    expect(s && (await outputOf(s))).toEqual({ code: 0, stdout: 'web-0-server\nhello\n', stderr: '' });
  });

  it('the local access also finds a running task launched before task files existed (env from its process)', async () => {
    rmSync(join(root, 'agents/agent-1/executors/web-0/tasks'), { recursive: true });
    const local = await localTasks('local', root);
    expect(local?.names()).toEqual(['web-0-server']);
    const s = local?.exec('web-0-server', { cmd: 'sh', args: ['-c', 'echo $TASK_NAME; cat stdout | head -1'] }, { tty: false, stdin: 'none' });
    expect(s && (await outputOf(s))).toEqual({ code: 0, stdout: 'web-0-server\nhello\n', stderr: '' });
  });

  it('sweep ends the executor, its tasks and running execs, and removes their cgroups', async () => {
    const taskPid = pidOfTask();
    const s = engine.exec(task, { cmd: 'sh', args: ['-c', 'sleep 300 & echo $!; wait'] }, { tty: false, stdin: 'none' });
    const [sleeper] = (await firstLines(s, 1)).map(Number);
    const cgroups = ['/sys/fs/cgroup/memory/svc', '/sys/fs/cgroup/svc'].map((d) => join(d, taskId)).filter(existsSync);
    await engine.sweep();
    await waitFor('task and exec gone', () => !alive(taskPid) && !alive(sleeper), 5_000);
    for (const d of cgroups) await waitFor(`${d} removed`, () => !existsSync(d), 5_000);
  });
});

describe('the engine registry', () => {
  it('knows local (the default) and kubernetes; refuses unknown kinds by name', () => {
    expect(engineKind(undefined)).toBe('local');
    expect(engineKind('local')).toBe('local');
    expect(engineKind('kubernetes')).toBe('kubernetes');
    expect(() => engineKind('../x')).toThrow('--engine ../x: unknown engine; expected one of: local, kubernetes');
  });
});

/** The task's pid, from the executor's journal (the engine keeps it there, not in the core's records). */
function pidOfTask(): number {
  const lines = readFileSync(join(root, 'agents/agent-1/executors/web-0/journal.jsonl'), 'utf8').trim().split('\n');
  const last = lines.map((l) => JSON.parse(l) as { status: { taskId: string; pid?: number } }).filter((e) => e.status.taskId === taskId && e.status.pid).at(-1);
  return last?.status.pid ?? 0;
}

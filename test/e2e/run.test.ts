// `svc run`: the scheduler in the foreground. Its log goes to stdout, Ctrl-C (SIGINT) stops it and
// leaves the tasks running, a later `svc run` takes the service over again, and uninstall cleans up.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { pidAlive, processesUnder, ROOT, runSvc, SVC, taskProcesses, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);

function foreground(): { child: ChildProcess; out: () => string } {
  let out = '';
  const child = spawn(process.execPath, [SVC, 'run', 'examples/hello-world'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: t.home, NO_COLOR: '1', ...t.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  return { child, out: () => out };
}
const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

describe('svc run', () => {
  afterAll(async () => {
    await svc('uninstall', 'hello-world', '--yes');
    t.cleanup();
  });

  it('runs the scheduler in the foreground and leaves tasks running when stopped', async () => {
    const first = foreground();
    await waitFor('deploy COMPLETE', async () => (await svc('plan', 'show', 'deploy')).stdout.startsWith('deploy (serial strategy) (COMPLETE)'));
    expect(first.out()).toMatch(/scheduler for hello-world serving http:\/\/127\.0\.0\.1:\d+/);
    expect(first.out()).toContain('launching hello-0:[server]');
    const tasks = taskProcesses(t.home).map((p) => p.pid).sort();
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    first.child.kill('SIGINT');
    await exited(first.child);
    expect(tasks.every(pidAlive)).toBe(true);
    expect((await svc('plan', 'show', 'deploy')).code).toBe(3);

    const again = foreground();
    await waitFor('taken over', async () => (await svc('plan', 'show', 'deploy')).stdout.startsWith('deploy (serial strategy) (COMPLETE)'));
    expect(taskProcesses(t.home).map((p) => p.pid).sort()).toEqual(tasks); // adopted, not relaunched
    const twice = await svc('run', 'examples/hello-world');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/is already running/);
    expect((await svc('uninstall', 'hello-world', '--yes')).code).toBe(0);
    expect(await exited(again.child)).not.toBeUndefined();
    expect(processesUnder(t.home)).toEqual([]);
  });
});

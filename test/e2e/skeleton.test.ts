// The walking skeleton, as a user does it: install hello-world, look at it, kill -9 the scheduler
// and a task, and uninstall — checking the real processes, their env and the files on disk.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidAlive, processesUnder, runSvc, taskProcesses, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
const serviceDir = join(t.home, 'hello-world');

const taskPids = () =>
  Object.fromEntries(
    taskProcesses(t.home)
      .filter((p) => p.cmdline.startsWith('sleep'))
      .map((p) => [p.env.TASK_NAME, p.pid]),
  );

describe('walking skeleton: hello-world end to end', () => {
  beforeAll(async () => {
    const r = await svc('install', 'examples/hello-world');
    expect(r.stderr).toContain('deploy COMPLETE: 2/2 steps complete');
    expect(r.code).toBe(0);
  });
  afterAll(() => t.cleanup());

  it('shows the deploy plan as the original tree, COMPLETE', async () => {
    const r = await svc('plan', 'show', 'deploy');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['deploy (serial strategy) (COMPLETE)', '└─ hello (serial strategy) (COMPLETE)', '   ├─ hello-0:[server] (COMPLETE)', '   └─ hello-1:[server] (COMPLETE)', ''].join('\n'),
    );
    const json = JSON.parse((await svc('plan', 'show', 'deploy', '--json')).stdout);
    expect(Object.keys(json).sort()).toEqual(['errors', 'phases', 'status', 'strategy']);
    expect(Object.keys(json.phases[0].steps[0]).sort()).toEqual(['id', 'message', 'name', 'status']);
  });

  it('lists pods and their task states', async () => {
    expect(JSON.parse((await svc('pod', 'list')).stdout)).toEqual(['hello-0', 'hello-1']);
    const r = await svc('pod', 'status');
    expect(r.stdout).toBe(
      ['hello-world', '└─ hello', '   ├─ hello-0', '   │  └─ hello-0-server (RUNNING)', '   └─ hello-1', '      └─ hello-1-server (RUNNING)', ''].join('\n'),
    );
  });

  it('lists the service with its API url and scheduler pid', async () => {
    const r = await svc('services');
    expect(r.stdout).toMatch(/^hello-world\s+RUNNING\s+http:\/\/127\.0\.0\.1:\d+$/m);
    const [entry] = JSON.parse((await svc('services', '--json')).stdout);
    expect(entry).toMatchObject({ name: 'hello-world', status: 'RUNNING', pid: Number(readFileSync(join(serviceDir, 'scheduler.pid'), 'utf8')) });
    expect(entry.url).toBe(JSON.parse(readFileSync(join(serviceDir, 'api.json'), 'utf8')).url);
    expect(readFileSync(join(serviceDir, 'token'), 'utf8').length).toBeGreaterThan(20);
    expect(JSON.parse(readFileSync(join(serviceDir, 'service.json'), 'utf8')).engine).toBe('local'); // the default engine, recorded at install
  });

  it('runs real task processes with the task environment, writing to a persistent volume', async () => {
    const procs = taskProcesses(t.home).filter((p) => p.cmdline.startsWith('sleep'));
    expect(procs.map((p) => p.env.TASK_NAME).sort()).toEqual(['hello-0-server', 'hello-1-server']);
    for (const p of procs) {
      const index = p.env.TASK_NAME === 'hello-0-server' ? '0' : '1';
      expect(p.env).toMatchObject({ POD_INSTANCE_INDEX: index, FRAMEWORK_NAME: 'hello-world', SLEEP_DURATION: '1000' });
      expect(p.env.MESOS_CONTAINER_IP).toMatch(/^127\.\d+\.\d+\.\d+$/);
      expect(p.env.MESOS_SANDBOX.startsWith(serviceDir)).toBe(true);
      expect(readFileSync(join(p.env.MESOS_SANDBOX, 'hello-container-path/output'), 'utf8')).toBe('hello\n');
    }
    // two instances on two different agents
    expect(new Set(procs.map((p) => p.env.MESOS_CONTAINER_IP)).size).toBe(2);
  });

  it('keeps tasks running when the scheduler is killed, and the restarted scheduler adopts them', async () => {
    const before = taskPids();
    const schedulerPid = Number(readFileSync(join(serviceDir, 'scheduler.pid'), 'utf8'));
    process.kill(schedulerPid, 'SIGKILL');
    await waitFor('scheduler restart', () => {
      const pid = Number(readFileSync(join(serviceDir, 'scheduler.pid'), 'utf8'));
      return pid !== schedulerPid && pidAlive(pid);
    });
    const r = await waitFor('plan answers', async () => {
      const res = await svc('plan', 'show', 'deploy');
      return res.code === 0 && res;
    });
    expect(r.stdout.split('\n')[0]).toBe('deploy (serial strategy) (COMPLETE)');
    expect(taskPids()).toEqual(before);
    const status = await svc('pod', 'status');
    expect(status.stdout.match(/\(RUNNING\)/g)).toHaveLength(2);
  });

  it('relaunches a killed task in place, on the same volume', async () => {
    const before = taskPids();
    process.kill(before['hello-0-server'], 'SIGKILL');
    const after = await waitFor('relaunch', () => {
      const now = taskPids();
      return now['hello-0-server'] && now['hello-0-server'] !== before['hello-0-server'] && now;
    });
    expect(after['hello-1-server']).toBe(before['hello-1-server']);
    const sandbox = taskProcesses(t.home).find((p) => p.pid === after['hello-0-server'])?.env.MESOS_SANDBOX ?? '';
    await waitFor('second line', () => readFileSync(join(sandbox, 'hello-container-path/output'), 'utf8') === 'hello\nhello\n');
    const recovery = await svc('plan', 'show', 'recovery');
    expect(recovery.stdout).toContain('hello-0:[server] (COMPLETE)');
  });

  it('uninstalls: no process and no folder left', async () => {
    const r = await svc('uninstall', 'hello-world', '--yes');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('service hello-world uninstalled');
    expect(processesUnder(t.home)).toEqual([]);
    expect(existsSync(serviceDir)).toBe(false);
    expect((await svc('services', '--json')).stdout.trim()).toBe('[]');
  });
});

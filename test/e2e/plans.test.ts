// Plans on the local engine with the original's own specs, rendered through the hello-world
// package: sidecar plans (serial, parameterized, toxic), multi-step and manual plans, and a canary.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runSvc, taskProcesses, tempHome, waitFor } from './helpers.js';

/** The project's copies of the SDK's specs (see test/fixtures/dcos-commons/README.md). */
const SPECS = resolve(ROOT, 'test/fixtures/dcos-commons');
const PACKAGE = join(SPECS, 'helloworld-package');

function service(spec: string, name = 'hello-world') {
  const t = tempHome();
  const svc = (...args: string[]) => runSvc(args, t.env);
  const output = (pod: string) => {
    const sandbox = taskProcesses(t.home).find((p) => p.env.TASK_NAME === `${pod}-server`)?.env.MESOS_SANDBOX ?? '';
    return readFileSync(join(sandbox, 'hello-container-path/output'), 'utf8');
  };
  const firstLine = async (plan: string) => (await svc('plan', 'show', plan)).stdout.split('\n')[0];
  return {
    t,
    svc,
    output,
    firstLine,
    install: (...extra: string[]) => svc('install', PACKAGE, '--spec', join(SPECS, 'helloworld', spec), ...extra),
    done: async () => {
      await svc('uninstall', name, '--yes');
      t.cleanup();
    },
  };
}

describe('sidecar.yml', () => {
  const s = service('sidecar.yml');
  afterAll(() => s.done());

  it('deploys servers, then runs the ONCE task once per pod', async () => {
    expect((await s.install()).code).toBe(0);
    expect(s.output('hello-0')).toBe('hello-0-server\nI run only once\n');
    expect(s.output('hello-1')).toBe('hello-1-server\nI run only once\n');
    expect(await s.firstLine('sidecar')).toBe('sidecar (serial strategy) (WAITING)');
  });

  it('runs a sidecar plan when started, sharing the pod volume', async () => {
    const r = await s.svc('plan', 'start', 'sidecar', '--wait');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('"sidecar" plan has been started.\n');
    expect(await s.firstLine('sidecar')).toBe('sidecar (serial strategy) (COMPLETE)');
    for (const pod of ['hello-0', 'hello-1']) expect(s.output(pod).split('\n')).toContain('sidecar');
  });

  it('passes plan parameters to the tasks it launches', async () => {
    expect((await s.svc('plan', 'start', 'sidecar-parameterized', '-p', 'PLAN_PARAMETER=parameterized', '--wait')).code).toBe(0);
    for (const pod of ['hello-0', 'hello-1']) expect(s.output(pod)).toContain('parameterized\n');
    const bad = await s.svc('plan', 'start', 'sidecar', '-p', 'NOEQUALS');
    expect(bad.code).toBe(2);
  });

  it('a toxic sidecar fails and retries without triggering recovery of the pod', async () => {
    const servers = taskProcesses(s.t.home).filter((p) => p.cmdline.startsWith('sleep')).map((p) => p.pid).sort();
    await s.svc('plan', 'start', 'sidecar-toxic');
    await waitFor('toxic step backing off', async () => /hello-0:\[sidecar-toxic\] \(DELAYED\)/.test((await s.svc('plan', 'show', 'sidecar-toxic')).stdout));
    expect((await s.svc('task', 'list')).stdout).toMatch(/^hello-0-sidecar-toxic\s+(FAILED|RUNNING)\s/m);
    expect(await s.firstLine('sidecar-toxic')).not.toContain('COMPLETE');
    expect((await s.svc('plan', 'show', 'recovery')).stdout).toBe('recovery (parallel strategy) (COMPLETE)\n');
    expect(taskProcesses(s.t.home).filter((p) => p.cmdline.startsWith('sleep')).map((p) => p.pid).sort()).toEqual(servers);
  });

  it('answers plan commands with the original messages and errors', async () => {
    expect((await s.svc('plan', 'pause', 'sidecar-toxic')).stdout).toBe('"sidecar-toxic" plan has been paused.\n');
    const again = await s.svc('plan', 'pause', 'sidecar-toxic');
    expect([again.code, again.stderr]).toEqual([1, 'svc: Cannot execute command. Command has already been issued or the plan has completed\n']);
    expect((await s.svc('plan', 'resume', 'sidecar-toxic')).stdout).toBe('"sidecar-toxic" plan has been resumed.\n');
    const stop = await s.svc('plan', 'stop', 'sidecar-toxic');
    expect(stop.stdout).toBe('"sidecar-toxic" plan has been stopped.\n');
    expect(await s.firstLine('sidecar-toxic')).toBe('sidecar-toxic (serial strategy) (WAITING)');
    expect((await s.svc('plan', 'pause', 'deploy')).code).toBe(1); // complete: nothing to pause
    const unknown = await s.svc('plan', 'show', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('svc: plan "nope" not found; plans: deploy, recovery, sidecar, sidecar-parameterized, sidecar-toxic\n');
    const phase = await s.svc('plan', 'force-restart', 'sidecar', 'nope');
    expect(phase.stderr).toContain('phase "nope" not found in plan sidecar; phases: sidecar-deploy');
    const forced = await s.svc('plan', 'force-complete', 'sidecar-toxic', 'sidecar-toxic-deploy', 'hello-0:[sidecar-toxic]');
    expect(forced.stdout).toBe('"sidecar-toxic" plan: step "hello-0:[sidecar-toxic]" in phase "sidecar-toxic-deploy" has been forced to complete.\n');
  });
});

describe('multistep_plan.yml and plan.yml', () => {
  const m = service('multistep_plan.yml');
  afterAll(() => m.done());

  it('deploys the steps of one pod instance in order, then world once ready', async () => {
    const options = join(m.t.home, 'o.json');
    writeOptions(options, { hello: { count: 1 }, world: { count: 1 } });
    expect((await m.svc('install', PACKAGE, '--spec', join(SPECS, 'helloworld', 'multistep_plan.yml'), '--options', options)).code).toBe(0);
    expect((await m.svc('plan', 'show', 'deploy')).stdout).toBe(
      [
        'deploy (serial strategy) (COMPLETE)',
        '├─ hello-deploy (serial strategy) (COMPLETE)',
        '│  ├─ hello-0:[first] (COMPLETE)',
        '│  └─ hello-0:[second] (COMPLETE)',
        '└─ world-deploy (serial strategy) (COMPLETE)',
        '   └─ world-0:[server] (COMPLETE)',
        '',
      ].join('\n'),
    );
    const names = taskProcesses(m.t.home).map((p) => p.env.TASK_NAME);
    for (const task of ['hello-0-first', 'hello-0-second', 'world-0-server']) expect(names).toContain(task);
  });
});

describe('plan.yml: manual plans deploy their pods only when started', () => {
  const p = service('plan.yml');
  afterAll(() => p.done());

  it('starts manual-plan-0 and only custom-pod-A runs', async () => {
    const options = join(p.t.home, 'o.json');
    writeOptions(options, { hello: { count: 1 }, world: { count: 1 } });
    expect((await p.svc('install', PACKAGE, '--spec', join(SPECS, 'helloworld', 'plan.yml'), '--options', options)).code).toBe(0);
    expect(JSON.parse((await p.svc('pod', 'list')).stdout)).toEqual(['hello-0', 'world-0']);
    expect((await p.svc('plan', 'start', 'manual-plan-0', '--wait')).code).toBe(0);
    expect(JSON.parse((await p.svc('pod', 'list')).stdout)).toEqual(['custom-pod-A-0', 'hello-0', 'world-0']);
    expect(await p.firstLine('manual-plan-1')).toBe('manual-plan-1 (serial strategy) (WAITING)');
  });
});

describe('a canary deploy', () => {
  const t = tempHome();
  const svc = (...args: string[]) => runSvc(args, t.env);
  afterAll(async () => {
    await svc('uninstall', 'canary', '--yes');
    t.cleanup();
  });
  const running = () => taskProcesses(t.home).filter((p) => p.cmdline === 'sleep 1000').length;

  it('waits for a resume before each canary step, then runs the rest', async () => {
    expect((await svc('install', 'test/fixtures/canary.yml', '--no-wait')).code).toBe(0);
    await waitFor('WAITING', async () => (await svc('plan', 'show', 'deploy')).stdout.startsWith('deploy (serial strategy) (WAITING)'));
    expect(running()).toBe(0);
    expect((await svc('plan', 'resume', 'deploy', 'hello')).code).toBe(0);
    await waitFor('first canary', async () => (await svc('plan', 'show', 'deploy')).stdout.includes('hello-0:[server] (COMPLETE)'));
    expect(running()).toBe(1);
    expect((await svc('plan', 'show', 'deploy')).stdout).toContain('hello-1:[server] (WAITING)');
    expect((await svc('plan', 'resume', 'deploy', 'hello')).code).toBe(0);
    await waitFor('all four', async () => (await svc('plan', 'show', 'deploy')).stdout.startsWith('deploy (serial strategy) (COMPLETE)'), 30_000);
    expect(running()).toBe(4);
  });
});

function writeOptions(file: string, value: unknown): void {
  // options files for the package installs above
  writeFileSync(file, JSON.stringify(value));
}

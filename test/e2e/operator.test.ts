// What an operator reaches for on a running service: stopping and starting its scheduler (tasks keep
// running and are adopted), the scheduler's log and events, the task environment, an update's dry
// run, and the errors of install (--name, unknown package options) and uninstall --ignore-not-found.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killIfAlive, mainProcess, pidAlive, ROOT, runSvc, SVC, tempHome, waitFor } from './helpers.js';

const t = tempHome();
// the installing shell: an npx-like PATH entry and a variable of its own, neither of which tasks may see
const shell = { ...t.env, PATH: `/nonexistent/node_modules/.bin:${process.env.PATH}`, LEAKY_SHELL_VAR: 'from-the-installer' };
const svc = (...args: string[]) => runSvc(args, shell);
const spec = join(t.home, 'hw.yml');
const dir = join(t.home, 'hello-world');
const taskIds = async () => (JSON.parse((await svc('pod', 'info', 'hello-0')).stdout) as Array<{ info: { taskId: { value: string } } }>).map((x) => x.info.taskId.value);

describe("an operator's day", () => {
  beforeAll(async () => {
    copyFileSync(join(ROOT, 'examples/hello-world/svc.yml'), spec);
    const r = await svc('install', spec);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await svc('uninstall', 'hello-world', '--yes');
    t.cleanup();
  });

  it("gives tasks a clean env: the system PATH, HOME in the sandbox, nothing of the installer's shell", async () => {
    const path = await svc('task', 'exec', 'hello-0-server', 'printenv', 'PATH');
    expect(path.stdout.trim()).toMatch(/^\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin(:\/\S+)?$/);
    expect(path.stdout).not.toContain('node_modules');
    const home = await svc('task', 'exec', 'hello-0-server', 'sh', '-c', 'echo "$HOME|$MESOS_SANDBOX|$(pwd)"');
    const [h, sandbox, cwd] = home.stdout.trim().split('|');
    expect(h).toBe(sandbox);
    expect(h).toBe(cwd);
    expect(h).toMatch(/\/sandboxes\/hello-0-server$/);
    const leak = await svc('task', 'exec', 'hello-0-server', 'printenv', 'LEAKY_SHELL_VAR');
    expect(leak.code).toBe(1); // printenv: not set
    // the task itself (not only exec) started with that env
    const proc = mainProcess(t.home, 'hello-0-server');
    expect(proc?.env.HOME).toBe(h);
    expect(proc?.env.LEAKY_SHELL_VAR).toBeUndefined();
  });

  it("svc logs prints the scheduler's log, svc events its launches and plan transitions with times", async () => {
    const logs = await svc('logs', 'hello-world', '--lines', '200');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/scheduler for hello-world serving http/);
    expect((await svc('logs', '--lines', '1')).stdout.trim().split('\n')).toHaveLength(1);
    const events = await svc('events', '--json');
    expect(events.code, events.stderr).toBe(0);
    const list = events.stdout.trim().split('\n').map((l) => JSON.parse(l) as { time: string; kind: string; message: string });
    expect(list).toContainEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), kind: 'launch', message: expect.stringMatching(/^launching hello-0:\[server\] on /) });
    expect(list.some((e) => e.kind === 'plan' && /^plan deploy: .*-> COMPLETE$/.test(e.message))).toBe(true);
    const text = await svc('events', '--kind', 'plan');
    expect(text.stdout).toMatch(/^\S+Z {2}plan {7}plan deploy: /m);
    expect(text.stdout).not.toContain('launching');
    expect((await svc('events', '--kind', 'nonsense')).code).toBe(2);
  });

  it('svc logs --follow and svc events --follow print what the scheduler writes next', async () => {
    const follow = (...args: string[]) => {
      const child = spawn(process.execPath, [SVC, ...args], { env: { ...process.env, ...t.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      const f = { child, out: '' };
      child.stdout.on('data', (d) => (f.out += d));
      return f;
    };
    const logs = follow('logs', '--follow', '--lines', '1');
    const events = follow('events', '--follow', '--lines', '1', '--kind', 'kill,launch');
    try {
      await waitFor('the last line and event', () => logs.out.length > 0 && events.out.length > 0, 10_000); // following from here on
      await svc('pod', 'restart', 'hello-1');
      await waitFor('followed lines', () => /restart of hello-1: killed/.test(logs.out), 20_000);
      await waitFor('followed events', () => /kill {7}restart of hello-1: killed hello-1-server\n/.test(events.out) && /launch {5}launching hello-1:\[server\]/.test(events.out.split('restart of hello-1')[1] ?? ''), 20_000);
    } finally {
      logs.child.kill('SIGTERM');
      events.child.kill('SIGTERM');
    }
  });

  it('svc stop stops the scheduler and keeps the tasks; svc start brings it back and adopts them', async () => {
    await waitFor('hello-1 back', async () => (await svc('plan', 'show', 'recovery', '--json')).stdout.includes('COMPLETE') && mainProcess(t.home, 'hello-1-server'), 20_000);
    const before = { ids: await taskIds(), pid: mainProcess(t.home, 'hello-0-server')?.pid };
    const schedulerPid = Number(readFileSync(join(dir, 'scheduler.pid'), 'utf8'));
    const stop = await svc('stop', 'hello-world');
    expect(stop).toMatchObject({ code: 0, stderr: 'scheduler of hello-world stopped; its tasks keep running (svc start hello-world brings it back)\n' });
    expect(pidAlive(schedulerPid)).toBe(false);
    expect(mainProcess(t.home, 'hello-0-server')?.pid).toBe(before.pid);

    // DOWN: every way in says how to come back, and install does not advise uninstall
    const down = await svc('pod', 'status');
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('the scheduler of hello-world is not running');
    expect(down.stderr).toContain('start it again with: svc start hello-world');
    const again = await svc('install', spec);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('its scheduler is down; start it again with: svc start hello-world (its tasks and data are kept)');
    expect(again.stderr).not.toContain('uninstall');
    expect(JSON.parse((await svc('services', '--json')).stdout)[0].status).toBe('STOPPED'); // not DOWN: someone stopped it
    expect(await svc('stop', 'hello-world')).toMatchObject({ code: 0, stderr: 'the scheduler of hello-world is not running; nothing to stop\n' });

    const start = await svc('start', 'hello-world');
    expect(start.code, start.stderr).toBe(0);
    expect(JSON.parse((await svc('services', '--json')).stdout)[0].status).toBe('RUNNING');
    expect(start.stderr).toMatch(/^scheduler of hello-world started; serving http:\/\/127\.0\.0\.1:\d+$/m);
    const deploy = await svc('plan', 'show', 'deploy', '--json');
    expect(JSON.parse(deploy.stdout).status).toBe('COMPLETE');
    expect(await taskIds()).toEqual(before.ids); // adopted, not relaunched
    expect(mainProcess(t.home, 'hello-0-server')?.pid).toBe(before.pid);
    const twice = await svc('start', 'hello-world');
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toContain('the scheduler of hello-world is already running');
  });

  it('signals only the processes its pid files reference: a pid file naming another process is left alone', async () => {
    const stranger = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      expect((await svc('stop', 'hello-world')).code).toBe(0);
      // a pid file (without its reference) that now names someone else's process
      writeFileSync(join(dir, 'supervisor.pid'), String(stranger.pid));
      writeFileSync(join(dir, 'scheduler.pid'), String(stranger.pid));
      expect((await svc('stop', 'hello-world')).stderr).toContain('nothing to stop');
      expect(pidAlive(stranger.pid as number)).toBe(true);
      expect((await svc('start', 'hello-world')).code).toBe(0);
      expect(pidAlive(stranger.pid as number)).toBe(true);
    } finally {
      killIfAlive(stranger.pid as number);
    }
  });

  it('of two svc start at once, one starts the scheduler and the other says so', async () => {
    expect((await svc('stop', 'hello-world')).code).toBe(0);
    const both = await Promise.all([svc('start', 'hello-world'), svc('start', 'hello-world')]);
    expect(both.map((r) => r.code).sort()).toEqual([0, 1]);
    expect(both.find((r) => r.code === 1)?.stderr).toMatch(/the scheduler of hello-world is (already running|being started by another command)/);
    const supervisors = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').includes(`supervise ${dir}`);
      } catch {
        return false;
      }
    });
    expect(supervisors).toHaveLength(1);
    expect(existsSync(join(dir, 'starting'))).toBe(false);
  });

  it('refuses a hostile service name', async () => {
    for (const name of ['..', '../etc', '']) {
      const r = await svc('start', name);
      expect(r.code, name).not.toBe(0);
      expect(r.stderr).toMatch(/service name|not installed/);
    }
  });

  it('update start --dry-run prints the changes and the pods that would roll, and changes nothing', async () => {
    const target = readFileSync(join(dir, 'spec.json'), 'utf8');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('count: 2', 'count: 3').replace('SLEEP_DURATION: 1000', 'SLEEP_DURATION: 999'));
    const r = await svc('update', 'start', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('dry run: update of hello-world (nothing changed)\n');
    expect(r.stdout).toContain('  pods.hello.count: 2 → 3\n');
    expect(r.stdout).toContain('  pods.hello.tasks.server.env.SLEEP_DURATION: "1000" → "999"\n');
    expect(r.stdout).toContain('pods:\n  hello-0..hello-1: restart on the new config\n  hello-2: deploy (count 2 → 3)\n');
    expect(readFileSync(join(dir, 'spec.json'), 'utf8')).toBe(target);
    expect(JSON.parse((await svc('pod', 'list')).stdout)).toEqual(['hello-0', 'hello-1']);
    copyFileSync(join(ROOT, 'examples/hello-world/svc.yml'), spec);
    expect((await svc('update', 'start', '--dry-run')).stdout).toContain('nothing to update');
  });

  it('--name on install: refused for a plain spec that names another service', async () => {
    const r = await svc('--name', 'other', 'install', spec);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`svc: --name other: ${spec} defines the service "hello-world"`);
    expect(existsSync(join(t.home, 'other'))).toBe(false);
  });

  it("--name on install: a package with a service.name option is installed under that name", async () => {
    const r = await svc('--name', 'taskcfg-two', 'install', join(ROOT, 'test/fixtures/taskcfg-package'), '--no-wait');
    try {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('service taskcfg-two installed');
      expect(JSON.parse(readFileSync(join(t.home, 'taskcfg-two', 'service.json'), 'utf8')).source.options).toEqual({ service: { name: 'taskcfg-two' } });
    } finally {
      await svc('uninstall', 'taskcfg-two', '--yes');
    }
    expect(existsSync(join(t.home, 'taskcfg-two'))).toBe(false);
  });

  it('reports unknown package option keys instead of ignoring them', async () => {
    const opts = join(t.home, 'typo.json');
    writeFileSync(opts, JSON.stringify({ memcache: { cnt: 2 } }));
    const r = await svc('install', 'examples/memcache/package', '--options', opts);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/- \/memcache\/cnt: is not an option of this package; options of \/memcache: .*count/);
    expect(existsSync(join(t.home, 'memcache'))).toBe(false);
  });

  it('uninstall --ignore-not-found exits 0 for a service that is not there', async () => {
    expect(await svc('uninstall', 'nope', '--yes', '--ignore-not-found')).toMatchObject({ code: 0, stderr: 'service nope is not installed; nothing to uninstall\n' });
    expect((await svc('uninstall', 'nope', '--yes')).code).toBe(3);
  });
});

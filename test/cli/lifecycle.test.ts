// install, uninstall, update and services against a stub launcher in deps: what the verbs ask of
// the launcher, what they print and return. No process is started.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { failed } from '../../src/cli/errors.js';
import type { Launcher, LaunchOptions, ServiceSummary } from '../../src/cli/launcher-port.js';
import { run as install } from '../../src/cli/commands/service/install.js';
import { run as uninstall } from '../../src/cli/commands/service/uninstall.js';
import { run as updateStart } from '../../src/cli/commands/update/start.js';
import { FakeClient, run, testDeps, type Stub } from './helpers.js';

const complete = { phases: [{ id: 'p', name: 'hello', strategy: 'serial', status: 'COMPLETE', steps: [{ id: 's', name: 'hello-0:[server]', status: 'COMPLETE', message: '' }] }], strategy: 'serial', errors: [], status: 'COMPLETE' };

/** A launcher that records each call; `installed` names the services it knows. */
function stubLauncher(o: { installed?: string[]; stubs?: Stub[]; services?: ServiceSummary[]; uninstallFails?: string; previewIssues?: string[] } = {}) {
  const calls: Array<[string, ...unknown[]]> = [];
  const client = new FakeClient(o.stubs ?? []);
  const installed = o.installed ?? [];
  const launcher: Launcher = {
    readOptions: (file) => (calls.push(['readOptions', file]), { from: file }),
    readAgentsFile: (file) => (calls.push(['readAgentsFile', file]), [{ zone: 'a' }, { zone: 'b' }]),
    resolveSpec: () => Promise.reject(new Error('not used')),
    checkSpec: () => Promise.reject(new Error('not used')),
    install: async (source: string, opts: LaunchOptions) => (calls.push(['install', source, opts]), { name: 'hello-world', client }),
    runForeground: async () => ({ name: 'hello-world' }),
    checkInstalled: (name) => {
      calls.push(['checkInstalled', name]);
      if (!installed.includes(name)) throw Object.assign(new Error(`service "${name}" is not installed`), { name: 'LauncherError', kind: 'not-found' });
    },
    update: async (name, options) => (calls.push(['update', name, options]), { client }),
    uninstall: async (name, progress) => {
      calls.push(['uninstall', name]);
      progress('killing tasks and releasing resources: 1/2 uninstall steps complete');
      if (o.uninstallFails) throw failed(o.uninstallFails);
      progress('scheduler done; removing processes and files');
    },
    services: async () => o.services ?? [],
    previewUpdate: async (name, options) => (calls.push(['previewUpdate', name, options]), { name, options: [{ path: 'memcache.count', from: 2, to: 3 }], spec: [{ path: 'pods.memcache.count', from: 2, to: 3 }], rolls: ['memcache-2: deploy (count 2 → 3)'], issues: o.previewIssues ?? [] }),
    start: async (name) => (calls.push(['start', name]), { client }),
    stop: async (name) => (calls.push(['stop', name]), installed.includes(name)),
    schedulerLog: (name) => (calls.push(['schedulerLog', name]), `/nowhere/${name}/scheduler.log`),
  };
  return { launcher, calls, client };
}

describe('install', () => {
  it('hands the source and options to the launcher, then waits for deploy and returns it', async () => {
    const s = stubLauncher({ stubs: [{ method: 'GET', path: '/v1/plans/deploy', body: complete }] });
    const t = testDeps({ launcher: s.launcher });
    const r = await install({ source: 'examples/hello-world', wait: true, timeout: 5, agents: 2, agentsFile: 'agents.json', options: 'o.json', bind: '127.0.0.1' }, t.deps);
    expect(r).toEqual({ name: 'hello-world', url: 'http://svc.test', deploy: complete });
    expect(s.calls).toEqual([
      ['readAgentsFile', 'agents.json'],
      ['readOptions', 'o.json'],
      ['install', 'examples/hello-world', { agentSettings: [{ zone: 'a' }, { zone: 'b' }], agents: 2, agentCpus: undefined, agentMem: undefined, bind: '127.0.0.1', permanentFailureTimeout: undefined, options: { from: 'o.json' }, specFile: undefined }],
    ]);
    expect(t.io.stderr()).toBe('service hello-world installed; scheduler at http://svc.test\nwaiting for plan deploy\ndeploy COMPLETE: 1/1 steps complete\n');
    expect(s.client.unused()).toEqual([]);
  });

  it('--no-wait asks nothing of the scheduler', async () => {
    const s = stubLauncher();
    const r = await run(['install', 'x.yml', '--no-wait'], { launcher: s.launcher });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'service hello-world installed; scheduler at http://svc.test\n' });
    expect(s.calls.map((c) => c[0])).toEqual(['install']);
  });

  it('--agents that contradicts --agents-file is a usage error, and nothing is installed', async () => {
    const s = stubLauncher();
    const r = await run(['install', 'x.yml', '--agents', '3', '--agents-file', 'agents.json'], { launcher: s.launcher });
    expect(r).toMatchObject({ code: 2, stderr: 'svc: --agents 3 conflicts with --agents-file agents.json, which describes 2 agent(s)\n' });
    expect(s.calls.map((c) => c[0])).toEqual(['readAgentsFile']);
  });

  it('a deploy that fails exits 1 with the plan errors', async () => {
    const s = stubLauncher({ stubs: [{ method: 'GET', path: '/v1/plans/deploy', status: 417, body: { ...complete, status: 'ERROR', errors: ['boom'] } }] });
    const r = await run(['install', 'x.yml'], { launcher: s.launcher });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('svc: plan deploy failed: boom (svc plan show deploy)\n');
  });
});

describe('uninstall', () => {
  it('--yes uninstalls through the launcher, showing its progress', async () => {
    const s = stubLauncher({ installed: ['hello-world'] });
    const t = testDeps({ launcher: s.launcher });
    expect(await uninstall({ service: 'hello-world', yes: true }, t.deps)).toEqual({ name: 'hello-world', removed: true });
    expect(s.calls).toEqual([['checkInstalled', 'hello-world'], ['uninstall', 'hello-world']]);
    expect(t.io.stderr()).toBe('uninstalling hello-world\nuninstalling hello-world: killing tasks and releasing resources: 1/2 uninstall steps complete\nuninstalling hello-world: scheduler done; removing processes and files\nservice hello-world uninstalled\n');
  });

  it('asks for the name on a terminal; a wrong answer changes nothing', async () => {
    const s = stubLauncher({ installed: ['hello-world'] });
    const r = await run(['uninstall', 'hello-world'], { tty: true, launcher: s.launcher, answers: ['hello'] });
    expect(r).toMatchObject({ code: 1 });
    expect(r.stderr).toContain('svc: confirmation "hello" does not match "hello-world"; nothing was changed\n');
    expect(s.calls.map((c) => c[0])).toEqual(['checkInstalled']);
  });

  it('without --yes and no terminal it refuses before touching anything', async () => {
    const s = stubLauncher({ installed: ['hello-world'] });
    const r = await run(['uninstall', 'hello-world'], { launcher: s.launcher });
    expect(r).toMatchObject({ code: 2, stderr: 'svc: refusing to uninstall hello-world without --yes when not running interactively\n' });
    expect(s.calls.map((c) => c[0])).toEqual(['checkInstalled']);
  });

  it('an unknown service exits 3 before any prompt or spinner', async () => {
    const s = stubLauncher({ installed: ['hello-world'] });
    const r = await run(['uninstall', 'nope'], { tty: true, launcher: s.launcher });
    expect(r).toMatchObject({ code: 3, stderr: 'svc: service "nope" is not installed\n' });
  });

  it('--ignore-not-found makes an absent service a success (exit 0), and a present one is still uninstalled', async () => {
    const s = stubLauncher({ installed: ['hello-world'] });
    const r = await run(['uninstall', 'nope', '--yes', '--ignore-not-found'], { launcher: s.launcher });
    expect(r).toMatchObject({ code: 0, stderr: 'service nope is not installed; nothing to uninstall\n' });
    expect(s.calls.map((c) => c[0])).toEqual(['checkInstalled']);
    const present = await run(['uninstall', 'hello-world', '--yes', '--ignore-not-found'], { launcher: s.launcher });
    expect(present.code).toBe(0);
    expect(s.calls.map((c) => c[0])).toEqual(['checkInstalled', 'checkInstalled', 'uninstall']);
  });

  it('a failure of the launcher is reported, and the spinner line does not claim success', async () => {
    const s = stubLauncher({ installed: ['hello-world'], uninstallFails: 'disk on fire' });
    const r = await run(['uninstall', 'hello-world', '--yes'], { launcher: s.launcher });
    expect(r).toMatchObject({ code: 1 });
    expect(r.stderr).toBe('uninstalling hello-world\nuninstalling hello-world: killing tasks and releasing resources: 1/2 uninstall steps complete\nsvc: disk on fire\n');
  });
});

describe('update start', () => {
  const home = mkdtempSync(join(tmpdir(), 'svc-cli-update-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, 'hello-world'));
  writeFileSync(join(home, 'hello-world', 'service.json'), JSON.stringify({ name: 'hello-world', source: { kind: 'spec', path: '/x' }, installedAt: 'now' }));

  it('updates the only installed service with the options file, and waits with --wait', async () => {
    const s = stubLauncher({ stubs: [{ method: 'GET', path: '/v1/plans/deploy', body: complete }] });
    const t = testDeps({ launcher: s.launcher, svcHome: home });
    const r = await updateStart({ globals: {}, options: 'more.json', wait: true, timeout: 5 }, t.deps);
    expect(r).toEqual({ name: 'hello-world', deploy: complete });
    expect(s.calls).toEqual([['readOptions', 'more.json'], ['update', 'hello-world', { from: 'more.json' }]]);
  });
});

describe('update start --dry-run', () => {
  const home = mkdtempSync(join(tmpdir(), 'svc-cli-dry-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, 'memcache'));
  writeFileSync(join(home, 'memcache', 'service.json'), JSON.stringify({ name: 'memcache', source: { kind: 'package', path: '/x' }, installedAt: 'now' }));

  it('prints the changes and the pods that would roll, and updates nothing', async () => {
    const s = stubLauncher();
    const r = await run(['update', 'start', '--options', 'o.json', '--dry-run'], { launcher: s.launcher, svcHome: home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('dry run: update of memcache (nothing changed)\noptions:\n  memcache.count: 2 → 3\nspec:\n  pods.memcache.count: 2 → 3\npods:\n  memcache-2: deploy (count 2 → 3)\n');
    expect(s.calls.map((c) => c[0])).toEqual(['readOptions', 'previewUpdate']);
  });

  it('an update that would be rejected says why and exits 1', async () => {
    const s = stubLauncher({ previewIssues: ['pods.memcache.volumes: volumes cannot change'] });
    const r = await run(['update', 'start', '--dry-run'], { launcher: s.launcher, svcHome: home });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('would be rejected:\n  - pods.memcache.volumes: volumes cannot change\n');
    expect(r.stderr).toContain('nothing was changed');
  });
});

describe('start and stop', () => {
  it('start and stop act on the named service through the launcher', async () => {
    const s = stubLauncher({ installed: ['hello-world'] });
    expect(await run(['start', 'hello-world'], { launcher: s.launcher })).toMatchObject({ code: 0, stderr: 'scheduler of hello-world started; serving http://svc.test\n' });
    expect(await run(['stop', 'hello-world'], { launcher: s.launcher })).toMatchObject({ code: 0, stderr: 'scheduler of hello-world stopped; its tasks keep running (svc start hello-world brings it back)\n' });
    expect(await run(['stop', 'other'], { launcher: s.launcher })).toMatchObject({ code: 0, stderr: 'the scheduler of other is not running; nothing to stop\n' });
    expect(s.calls).toEqual([['start', 'hello-world'], ['stop', 'hello-world'], ['stop', 'other']]);
  });
});

describe('services', () => {
  it('prints the launcher\'s list as a table, or as JSON', async () => {
    const services: ServiceSummary[] = [
      { name: 'hello-world', status: 'RUNNING', url: 'http://127.0.0.1:4000', pid: 10, home: '/h/hello-world' },
      { name: 'memcache', status: 'DOWN', url: null, pid: null, home: '/h/memcache' },
    ];
    const s = stubLauncher({ services });
    expect((await run(['services'], { launcher: s.launcher })).stdout).toBe('NAME         STATUS   URL\nhello-world  RUNNING  http://127.0.0.1:4000\nmemcache     DOWN     -\n');
    expect(JSON.parse((await run(['services', '--json'], { launcher: s.launcher })).stdout)).toEqual(services);
  });
});

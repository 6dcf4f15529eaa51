// The original CLI's update verbs (pause, resume, force-restart, force-complete on the deploy plan;
// start --replace; --options from stdin) and its debug config|state|pod groups: what each asks of the
// scheduler or the launcher, and what it prints. Stubbed API and launcher; the stdin reader of the
// built bin/svc in one real process.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonObject, Launcher } from '../../src/cli/launcher-port.js';
import { run as updateStart } from '../../src/cli/commands/update/start.js';
import type { Stdin } from '../../src/cli/commands/update/options-input.js';
import { FakeClient, parse, run, testDeps, type Stub } from './helpers.js';

const post = (path: string, body: unknown, status?: number): Stub => ({ method: 'POST', path, body, status });

describe('svc update pause|resume|force-restart|force-complete act on the deploy plan', () => {
  const cases: Array<{ argv: string[]; stub: Stub; stdout: string }> = [
    { argv: ['update', 'pause'], stub: post('/v1/plans/deploy/interrupt', { message: 'Received cmd: interrupt' }), stdout: '"deploy" plan has been paused.\n' },
    { argv: ['update', 'interrupt'], stub: post('/v1/plans/deploy/interrupt', { message: 'Received cmd: interrupt' }), stdout: '"deploy" plan has been paused.\n' },
    { argv: ['update', 'resume'], stub: post('/v1/plans/deploy/continue', { message: 'Received cmd: continue' }), stdout: '"deploy" plan has been resumed.\n' },
    { argv: ['update', 'continue'], stub: post('/v1/plans/deploy/continue', ''), stdout: '"deploy" plan could not be resumed.\n' },
    { argv: ['update', 'force-restart'], stub: post('/v1/plans/deploy/restart', { message: 'restart' }), stdout: '"deploy" plan has been restarted.\n' },
    { argv: ['update', 'restart', 'hello'], stub: post('/v1/plans/deploy/restart?phase=hello', { message: 'restart' }), stdout: '"deploy" plan: phase "hello" has been restarted.\n' },
    {
      argv: ['update', 'force-restart', 'hello', 'hello-0:[server]'],
      stub: post('/v1/plans/deploy/restart?phase=hello&step=hello-0%3A%5Bserver%5D', { message: 'restart' }),
      stdout: '"deploy" plan: step "hello-0:[server]" in phase "hello" has been restarted.\n',
    },
    {
      argv: ['update', 'force', 'hello', 'hello-1:[server]'],
      stub: post('/v1/plans/deploy/forceComplete?phase=hello&step=hello-1%3A%5Bserver%5D', { message: 'forceComplete' }),
      stdout: '"deploy" plan: step "hello-1:[server]" in phase "hello" has been forced to complete.\n',
    },
  ];
  for (const c of cases) {
    it(c.argv.join(' '), async () => {
      const r = await run(c.argv, { stubs: [c.stub] });
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr, unused: r.unused }).toEqual({ code: 0, stdout: c.stdout, stderr: '', unused: [] });
    });
  }

  it('a rollout with nothing left to do fails as plan pause does (exit 1)', async () => {
    const r = await run(['update', 'pause'], { stubs: [post('/v1/plans/deploy/interrupt', 'Command has already been reported or completed', 208)] });
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'svc: Cannot execute command. Command has already been issued or the plan has completed\n' });
  });

  it('an unknown phase is answered with the phases of deploy', async () => {
    const deploy = { phases: [{ id: 'p', name: 'hello', strategy: 'serial', status: 'COMPLETE', steps: [] }], strategy: 'serial', errors: [], status: 'COMPLETE' };
    const r = await run(['update', 'force-restart', 'nophase'], { stubs: [post('/v1/plans/deploy/restart?phase=nophase', 'Phase nophase not found', 404), { method: 'GET', path: '/v1/plans/deploy', body: deploy }] });
    expect(r).toMatchObject({ code: 1, stderr: 'svc: phase "nophase" not found in plan deploy; phases: hello\n' });
  });

  it('force-complete needs its phase and step (exit 2, nothing sent)', async () => {
    const r = await run(['update', 'force-complete', 'hello']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: "svc: missing required argument 'step' (see: svc update force-complete --help)\n" });
  });

  it('update show is update status, as in the original CLI', async () => {
    expect((await parse(['update', 'show', '--json'])).command).toBe('update status');
  });
});

describe('svc debug config|state|pod are the groups config, state and pod', () => {
  const cases: Array<[string[], string]> = [
    [['debug', 'config', 'list'], 'config list'],
    [['debug', 'configs', 'show', 'abc'], 'config show'],
    [['debug', 'config', 'target'], 'config target'],
    [['debug', 'config', 'target_id'], 'config target_id'],
    [['debug', 'state', 'framework_id'], 'state framework_id'],
    [['debug', 'state', 'properties'], 'state properties'],
    [['debug', 'state', 'property', 'k'], 'state property'],
    [['debug', 'pod', 'pause', 'hello-0', '-t', 'server'], 'pod pause'],
    [['debug', 'pods', 'resume', 'hello-0'], 'pod resume'],
  ];
  for (const [argv, same] of cases) {
    it(`${argv.join(' ')} = svc ${same}`, async () => {
      expect((await parse(argv)).command).toBe(`debug ${same}`);
      const p = await parse(argv);
      const q = await parse([...same.split(' '), ...argv.slice(3)]);
      expect({ args: p.args, opts: p.opts }).toEqual({ args: q.args, opts: q.opts });
    });
  }

  it('answer as the groups do, over the same API', async () => {
    const stubs = (): Stub[] => [{ method: 'GET', path: '/v1/configurations/targetId', body: ['c1'] }];
    const direct = await run(['config', 'target_id'], { stubs: stubs() });
    const alias = await run(['debug', 'config', 'target_id'], { stubs: stubs() });
    expect(alias).toEqual(direct);
    expect(alias).toMatchObject({ code: 0, stdout: '[\n  "c1"\n]\n', unused: [] });
    const pause = await run(['debug', 'pod', 'pause', 'hello-0', '-t', 'server', '--json'], { stubs: [post('/v1/pod/hello-0/pause', { pod: 'hello-0', tasks: ['hello-0-server'] })] });
    expect(pause).toMatchObject({ code: 0, unused: [], sent: { 'POST /v1/pod/hello-0/pause': ['server'] } });
    expect(JSON.parse(pause.stdout)).toEqual({ pod: 'hello-0', tasks: ['hello-0-server'] });
  });
});

describe('svc update start --replace and --options -', () => {
  const home = mkdtempSync(join(tmpdir(), 'svc-cli-replace-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const service = (name: string, kind: 'package' | 'spec') => {
    mkdirSync(join(home, name), { recursive: true });
    writeFileSync(join(home, name, 'service.json'), JSON.stringify({ name, source: { kind, path: '/x' }, installedAt: 'now' }));
  };
  service('memcache', 'package');
  service('plain', 'spec');

  function launcher() {
    const calls: Array<[string, ...unknown[]]> = [];
    const client = new FakeClient([]);
    const unused = () => Promise.reject(new Error('not used'));
    const l: Launcher = {
      readOptions: (file) => {
        calls.push(['readOptions', file]);
        return { from: file };
      },
      readAgentsFile: () => [],
      resolveSpec: unused,
      checkSpec: unused,
      install: unused,
      runForeground: unused,
      checkInstalled: () => {},
      update: async (name, options, replace) => {
        calls.push(['update', name, options, replace]);
        return { client };
      },
      previewUpdate: async (name, options, replace) => {
        calls.push(['previewUpdate', name, options, replace]);
        return { name, options: [], spec: [], rolls: [], issues: [] };
      },
      start: unused,
      stop: async () => false,
      schedulerLog: () => '',
      uninstall: unused,
      services: async () => [],
    };
    return { l, calls };
  }
  const stdin = (text: string, isTTY = false) => (): Stdin => ({ isTTY, read: async () => text });
  const start = (o: { options?: string; replace?: boolean; dryRun?: boolean; name?: string }, input = stdin('')) => {
    const s = launcher();
    const t = testDeps({ launcher: s.l, svcHome: home });
    return { s, t, result: updateStart({ globals: { name: o.name ?? 'memcache' }, options: o.options, replace: o.replace, dryRun: o.dryRun, timeout: 5 }, t.deps, input) };
  };

  it('--replace hands replace to the launcher; without it the options are merged', async () => {
    const a = start({ options: 'all.json', replace: true });
    await a.result;
    expect(a.s.calls).toEqual([['readOptions', 'all.json'], ['update', 'memcache', { from: 'all.json' }, true]]);
    const b = start({ options: 'more.json' });
    await b.result;
    expect(b.s.calls).toEqual([['readOptions', 'more.json'], ['update', 'memcache', { from: 'more.json' }, false]]);
  });

  it('--replace --dry-run previews the replacement', async () => {
    const a = start({ replace: true, dryRun: true });
    await a.result;
    expect(a.s.calls).toEqual([['previewUpdate', 'memcache', undefined, true]]);
  });

  it('--replace on a service installed from a plain spec is a usage error, and nothing is updated', async () => {
    const a = start({ options: 'o.json', replace: true, name: 'plain' });
    await expect(a.result).rejects.toMatchObject({ exitCode: 2, message: '--replace: plain was installed from a plain spec and has no package options to replace' });
    expect(a.s.calls).toEqual([]);
  });

  it("--options - (or 'stdin') reads the JSON object piped in", async () => {
    for (const arg of ['-', 'stdin']) {
      const a = start({ options: arg, replace: true }, stdin('{"memcache":{"count":3}}\n'));
      await a.result;
      expect(a.s.calls).toEqual([['update', 'memcache', { memcache: { count: 3 } } satisfies JsonObject, true]]);
    }
  });

  const refused: Array<[string, () => () => Stdin, string]> = [
    ['a terminal', () => stdin('{}', true), '--options - reads the options JSON from stdin, which is a terminal here; pipe it in (svc update start --options - < options.json) or give a file'],
    ['nothing', () => stdin('  \n'), '--options -: nothing on stdin; pipe the options JSON in, or give a file'],
    ['text that is not JSON', () => stdin('count: 3'), '--options -: stdin is not JSON: '],
    ['a JSON array', () => stdin('[1]'), '--options -: stdin must hold a JSON object, got an array'],
    ['a JSON string', () => stdin('"x"'), '--options -: stdin must hold a JSON object, got "x"'],
  ];
  for (const [what, input, message] of refused) {
    it(`stdin holding ${what} is a usage error naming --options, and nothing is updated`, async () => {
      const a = start({ options: '-' }, input());
      const e: unknown = await a.result.then(() => undefined, (x: unknown) => x);
      expect(e).toMatchObject({ exitCode: 2 });
      expect((e as Error).message.startsWith(message)).toBe(true);
      expect(a.s.calls).toEqual([]);
    });
  }

  it('the built svc reads its real stdin: empty or not an object exits 2 before anything changes', () => {
    const svc = resolve(import.meta.dirname, '../../bin/svc');
    const env = { ...process.env, SVC_HOME: home, SVC_URL: '', SVC_SERVICE: '' };
    const empty = spawnSync(process.execPath, [svc, '--name', 'memcache', 'update', 'start', '--options', '-'], { env, input: '', encoding: 'utf8', timeout: 20_000 });
    expect({ status: empty.status, stderr: empty.stderr }).toEqual({ status: 2, stderr: 'svc: --options -: nothing on stdin; pipe the options JSON in, or give a file\n' });
    const array = spawnSync(process.execPath, [svc, '--name', 'memcache', 'update', 'start', '--options', 'stdin', '--replace'], { env, input: '[1, 2]', encoding: 'utf8', timeout: 20_000 });
    expect({ status: array.status, stderr: array.stderr }).toEqual({ status: 2, stderr: 'svc: --options stdin: stdin must hold a JSON object, got an array\n' });
  });
});

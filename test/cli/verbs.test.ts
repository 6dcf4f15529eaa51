// Verbs called as functions: run(opts, deps) returns data and prints nothing (rendering is the
// action's job), over stubbed API answers.
import { describe, expect, it } from 'vitest';
import { run as planShow } from '../../src/cli/commands/plan/show.js';
import { run as planPause } from '../../src/cli/commands/plan/pause.js';
import { run as podStatus } from '../../src/cli/commands/pod/status.js';
import { run as services } from '../../src/cli/commands/service/services.js';
import { run as completion } from '../../src/cli/commands/shell/completion.js';
import { buildProgram } from '../../src/cli/main.js';
import { run, testDeps, type Stub } from './helpers.js';

const plan = { phases: [], strategy: 'serial', errors: [], status: 'COMPLETE' };

describe('run(opts, deps) returns data and prints nothing', () => {
  it('plan show: the API response', async () => {
    const t = testDeps({ stubs: [{ method: 'GET', path: '/v1/plans/deploy', body: plan }] });
    const res = await planShow({ globals: { name: 'hw' }, plan: 'deploy' }, t.deps);
    expect(res.body).toEqual(plan);
    expect(t.globals).toEqual([{ name: 'hw' }]);
    expect([t.io.stdout(), t.io.stderr()]).toEqual(['', '']);
  });

  it('plan show of an unknown plan: an error listing the plans', async () => {
    const t = testDeps({ stubs: [{ method: 'GET', path: '/v1/plans/nope', status: 404, body: 'Plan nope not found' }, { method: 'GET', path: '/v1/plans', body: ['deploy', 'recovery'] }] });
    await expect(planShow({ globals: {}, plan: 'nope' }, t.deps)).rejects.toThrow('plan "nope" not found; plans: deploy, recovery');
  });

  it('plan pause of a phase: whether the scheduler accepted it', async () => {
    const t = testDeps({ stubs: [{ method: 'POST', path: '/v1/plans/deploy/interrupt?phase=hello', body: { message: 'Received cmd: interrupt' } }] });
    expect(await planPause({ globals: {}, plan: 'deploy', phase: 'hello' }, t.deps)).toEqual({ accepted: true });
    expect(t.fake.unused()).toEqual([]);
  });

  it('pod status: one pod instance, or all', async () => {
    const one = { name: 'hello-0', tasks: [{ id: 't', name: 'hello-0-server', status: 'RUNNING' }] };
    const t = testDeps({ stubs: [{ method: 'GET', path: '/v1/pod/hello-0/status', body: one }, { method: 'GET', path: '/v1/pod/status', body: { service: 's', pods: [] } }] });
    expect(await podStatus({ globals: {}, pod: 'hello-0' }, t.deps)).toMatchObject({ one: true, res: { body: one } });
    expect(await podStatus({ globals: {} }, t.deps)).toMatchObject({ one: false, res: { body: { service: 's', pods: [] } } });
  });

  it('services: the launcher\'s list', async () => {
    const list = [{ name: 'a', status: 'RUNNING' as const, url: null, pid: null, home: '/h/a' }];
    const t = testDeps();
    const deps = { ...t.deps, launcher: async () => ({ ...(await t.deps.launcher()), services: async () => list }) };
    expect(await services(deps)).toBe(list);
  });

  it('completion: the script of one shell; none is a usage error', async () => {
    const t = testDeps();
    const program = buildProgram(t.deps);
    const r = await completion({ program, shell: 'fish' }, t.deps);
    expect('script' in r && r.script).toContain('complete -c svc');
    await expect(completion({ program }, t.deps)).rejects.toThrow('which shell? svc completion bash|zsh|fish');
  });
});

describe('plan show --watch', () => {
  const step = (status: string) => ({ id: 's', name: 'hello-0:[server]', status, message: '' });
  const at = (status: string) => ({ phases: [{ id: 'p', name: 'hello', strategy: 'serial', status, steps: [step(status)] }], strategy: 'serial', errors: [], status });
  const frame = (status: string) => `deploy (serial strategy) (${status})\n└─ hello (serial strategy) (${status})\n   └─ hello-0:[server] (${status})\n`;
  const get = (status: string): Stub => ({ method: 'GET', path: '/v1/plans/deploy', status: status === 'COMPLETE' ? 200 : 202, body: at(status) });

  it('on a terminal, redraws its own lines in place (no clearing of the screen) until the plan completes', async () => {
    const r = await run(['plan', 'show', 'deploy', '--watch'], { tty: true, stubs: [get('IN_PROGRESS'), get('COMPLETE')] });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${frame('IN_PROGRESS')}\x1b[3F\x1b[0J${frame('COMPLETE')}`);
    expect(r.unused).toEqual([]);
  });

  it('piped, writes a frame only when it changed', async () => {
    const r = await run(['plan', 'show', 'deploy', '--watch'], { stubs: [get('IN_PROGRESS'), get('IN_PROGRESS'), get('COMPLETE')] });
    expect(r.stdout).toBe(frame('IN_PROGRESS') + frame('COMPLETE'));
    expect(r.unused).toEqual([]);
  });
});

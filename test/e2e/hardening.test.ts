// Hardening: hostile requests change nothing, a corrupt state file stops the scheduler with a
// message naming it, racing installs have one winner, and uninstall still cleans up after all that.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processesUnder, recordReliability, runSvc, tempHome, waitFor } from './helpers.js';

describe('hostile and broken input', () => {
  const t = tempHome();
  const svc = (...args: string[]) => runSvc(args, t.env);
  const dir = join(t.home, 'hello-world');
  const stateFile = join(dir, 'state', 'state.json');
  afterAll(async () => {
    await svc('uninstall', 'hello-world', '--yes');
    t.cleanup();
  });

  it('racing installs of one service: exactly one wins', async () => {
    const results = await Promise.all([svc('install', 'examples/hello-world'), svc('install', 'examples/hello-world')]);
    expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
    const loser = results.find((r) => r.code === 1);
    expect(loser?.stderr).toMatch(/^svc: service "hello-world" is (already installed|being installed by another command)/);
    recordReliability({ area: 'races', what: 'two `svc install` of the same service at once', runs: 1, result: 'one installed it, the other exited 1 with a conflict' });
  });

  it('bad requests are refused and leave the state byte for byte unchanged', async () => {
    const state = () => Buffer.concat([readFileSync(stateFile), readFileSync(`${stateFile}.log`)]);
    const before = state();
    const { url } = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8'));
    const token = readFileSync(join(dir, 'token'), 'utf8').trim();
    const call = (path: string, init: RequestInit = {}, auth = `token=${token}`) => fetch(url + path, { ...init, headers: { authorization: auth, ...(init.headers ?? {}) } });
    const cases: Array<[string, Promise<Response>, number]> = [
      ['no token', fetch(`${url}/v1/plans`), 401],
      ['wrong token', call('/v1/plans', {}, 'token=nope'), 401],
      ['bad JSON start body', call('/v1/plans/deploy/start', { method: 'POST', body: '{oops' }), 400],
      ['wrong types in start body', call('/v1/plans/deploy/start', { method: 'POST', body: '{"A": 1}' }), 400],
      ['bad parameter name', call('/v1/plans/deploy/start', { method: 'POST', body: '{"1A": "x"}' }), 400],
      ['huge body', call('/v1/pod/hello-0/pause', { method: 'POST', body: 'x'.repeat(200_000) }), 413],
      ['unknown plan', call('/v1/plans/nope/start', { method: 'POST', body: '{}' }), 404],
      ['unknown pod', call('/v1/pod/nope-0/restart', { method: 'POST' }), 404],
      ['traversal in a pod name', call('/v1/pod/..%2F..%2Fetc/restart', { method: 'POST' }), 404],
      ['traversal in a task name', call('/v1/tasks/..%2F..%2Ftoken/logs'), 404],
      ['unknown phase', call('/v1/plans/deploy/interrupt?phase=nope', { method: 'POST' }), 404],
      ['step without phase', call('/v1/plans/deploy/restart?step=x', { method: 'POST' }), 400],
      ['bad percent-encoding', call('/v1/pod/%E0%A4%A/status'), 400],
      ['wrong method', call('/v1/plans', { method: 'DELETE' }), 405],
    ];
    for (const [what, res, status] of cases) expect([what, (await res).status]).toEqual([what, status]);
    expect(state().equals(before)).toBe(true);
    recordReliability({ area: 'bad input', what: 'hostile REST requests (bad token, bad JSON, wrong types, 200 KB body, traversal, bad encodings, unknown plan/phase/pod)', runs: cases.length, result: 'each refused with its 4xx; state (snapshot and log) byte for byte unchanged' });
  });

  it('starts on another port when its old API port is taken, and clients follow it', async () => {
    const { url } = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8'));
    const port = Number(new URL(url).port);
    const pid = Number(readFileSync(join(dir, 'scheduler.pid'), 'utf8'));
    const supervisor = Number(readFileSync(join(dir, 'supervisor.pid'), 'utf8'));
    const squatter = createServer();
    process.kill(supervisor, 'SIGSTOP'); // hold the restart until the port is taken
    process.kill(pid, 'SIGKILL');
    await waitFor('port taken by another process', () =>
      new Promise<boolean>((r) => {
        squatter.once('error', () => r(false));
        squatter.listen(port, '127.0.0.1', () => r(true));
      }),
    );
    process.kill(supervisor, 'SIGCONT');
    try {
      const moved = await waitFor('scheduler back elsewhere', async () => {
        const now = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')).url as string;
        return now !== url && (await svc('plan', 'show', 'deploy')).code === 0 && now;
      });
      expect(Number(new URL(moved).port)).not.toBe(port);
      recordReliability({ area: 'faults', what: "the scheduler's API port taken by another process across a restart", runs: 1, result: 'it listened on a free port, wrote the new address, and the CLI followed it' });
    } finally {
      squatter.close();
    }
  });

  it('refuses to start on a corrupt state file, naming it; uninstall still cleans up', async () => {
    const pid = Number(readFileSync(join(dir, 'scheduler.pid'), 'utf8'));
    const text = readFileSync(stateFile, 'utf8');
    writeFileSync(stateFile, text.slice(0, text.length / 2)); // torn, as by a broken disk
    process.kill(pid, 'SIGKILL');
    const r = await waitFor('scheduler gives up', async () => {
      const res = await svc('plan', 'show', 'deploy');
      return res.code === 3 && res.stderr.includes('is corrupt') && res;
    });
    expect(r.stderr).toContain(`state file ${stateFile} is corrupt (checksum mismatch)`);
    await waitFor('FAILED', async () => (await svc('services')).stdout.includes('FAILED'));
    expect((await svc('uninstall', 'hello-world', '--yes')).code).toBe(0);
    expect(processesUnder(t.home)).toEqual([]);
    recordReliability({ area: 'faults', what: 'state file torn in half, then kill -9 of the scheduler', runs: 1, result: 'scheduler refused to start naming the file; supervisor stopped restarting it (FAILED); uninstall still removed everything' });
  });
});

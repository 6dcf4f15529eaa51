// The channel between the scheduler and its executor hosts: sockets in a 0700 runtime folder, and a
// per-service secret every connection must send first. A peer without it is dropped unheard (it
// cannot launch, and cannot take the status stream); an authenticated `open` outside the agent's
// executors/ folder is refused; another user cannot even reach the sockets.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeDirOf, socketPath, type Channel } from '../../src/engine/local/channel.js';
import { runSvc, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
const root = join(t.home, 'chan');
const marker = join(t.home, 'intruder-was-here');

let ch: Channel;
let agentDir = '';
let podDir = '';

/** Connects, writes `lines`, and collects what comes back until the peer closes or `until` is seen. */
function talk(path: string, lines: unknown[], until?: string): Promise<{ closed: boolean; data: string }> {
  return new Promise((resolve, reject) => {
    let data = '';
    const s = connect(path);
    s.setEncoding('utf8');
    s.once('error', reject);
    s.on('connect', () => s.write(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n'));
    s.on('data', (d: string) => {
      data += d;
      if (until && data.includes(until)) {
        s.destroy();
        resolve({ closed: false, data });
      }
    });
    s.on('close', () => resolve({ closed: true, data }));
  });
}

const auth = () => ({ op: 'auth', secret: ch.secret });
const evilTask = { name: 'evil', taskId: 'evil-1', cmd: `touch ${marker}`, rlimits: [], env: { PATH: '/usr/bin:/bin' }, sandbox: t.home, links: [], files: [], uris: [], memoryMb: 0, killGracePeriod: 0 };

describe('the executor channel', () => {
  beforeAll(async () => {
    const spec = join(t.home, 'chan.yml');
    writeFileSync(spec, 'name: chan\npods:\n  p:\n    count: 1\n    tasks:\n      s: { goal: RUNNING, cpus: 0.1, memory: 16, cmd: exec sleep 1000 }\n');
    expect((await svc('install', spec)).code).toBe(0);
    ch = { runtimeDir: runtimeDirOf(root), secret: readFileSync(join(root, 'channel.secret'), 'utf8').trim() };
    const agent = readdirSync(join(root, 'agents')).find((a) => existsSync(join(root, 'agents', a, 'executors', 'p-0', 'executor.pid'))) as string;
    agentDir = join(root, 'agents', agent);
    podDir = join(agentDir, 'executors', 'p-0');
  });
  afterAll(async () => {
    await svc('uninstall', 'chan', '--yes');
    t.cleanup();
  });

  it('keeps its sockets in a 0700 folder of this user and its secret 0600, with no abstract sockets', () => {
    for (const dir of [join(ch.runtimeDir, '..'), ch.runtimeDir]) {
      const st = statSync(dir);
      expect([dir, st.mode & 0o777, st.uid]).toEqual([dir, 0o700, process.getuid?.()]);
    }
    expect(statSync(join(root, 'channel.secret')).mode & 0o777).toBe(0o600);
    expect(existsSync(socketPath(ch, podDir))).toBe(true);
    expect(socketPath(ch, podDir).length).toBeLessThan(108);
    // the abstract name this pod's executor listened on before (other services' may be listed)
    const abstract = `@svc-executor-${createHash('sha256').update(podDir).digest('hex').slice(0, 40)}`;
    expect(readFileSync('/proc/net/unix', 'utf8')).not.toContain(abstract);
  });

  it.each([
    ['no secret', [{ op: 'hello' }, { op: 'launch', task: evilTask }]],
    ['a wrong secret', [{ op: 'auth', secret: 'x'.repeat(64) }, { op: 'hello' }, { op: 'launch', task: evilTask }]],
    ['a line that is not JSON', ['{"op":', { op: 'launch', task: evilTask }]],
  ])('drops an executor connection with %s, unheard: nothing launched, no status sent', async (_, lines) => {
    const r = await talk(socketPath(ch, podDir), lines);
    expect(r).toEqual({ closed: true, data: '' });
    // the executor answers the engine's secret, and knows no task but its own
    const ok = await talk(socketPath(ch, podDir), [auth(), { op: 'hello' }], '\n');
    const snapshot = JSON.parse(ok.data.split('\n')[0]) as { op: string; tasks: Array<{ name: string }> };
    expect(snapshot.op).toBe('snapshot');
    expect(snapshot.tasks.map((x) => x.name)).toEqual(['p-0-s']);
    expect(existsSync(marker)).toBe(false);
  });

  it('drops a host connection without the secret before it can open anything', async () => {
    const outside = join(t.home, 'outside-no-secret');
    mkdirSync(outside);
    expect(await talk(socketPath(ch, agentDir), [{ op: 'open', dir: outside }])).toEqual({ closed: true, data: '' });
    expect(readdirSync(outside)).toEqual([]);
  });

  it("refuses an authenticated open outside the agent's executors/ folder, symlinks resolved", async () => {
    const outside = join(t.home, 'outside');
    mkdirSync(outside);
    const link = join(agentDir, 'executors', 'sneaky');
    symlinkSync(outside, link);
    for (const dir of [outside, join(agentDir, 'executors', '..', '..', '..', 'outside'), link, 'relative/dir', agentDir, join(agentDir, 'executors')]) {
      expect([dir, await talk(socketPath(ch, agentDir), [auth(), { op: 'open', dir }])]).toEqual([dir, { closed: true, data: '' }]);
    }
    expect(readdirSync(outside)).toEqual([]);
    // a pod instance folder of the agent itself is opened
    const legit = join(agentDir, 'executors', 'legit-0');
    mkdirSync(legit);
    const r = await talk(socketPath(ch, agentDir), [auth(), { op: 'open', dir: legit }], '\n');
    expect(JSON.parse(r.data.split('\n')[0])).toMatchObject({ op: 'opened', dir: legit });
    await talk(socketPath(ch, legit), [auth(), { op: 'shutdown' }]);
  });

  it.runIf(process.getuid?.() === 0)('cannot be reached by another user (nobody)', () => {
    const probe = `require('net').connect(${JSON.stringify(socketPath(ch, podDir))}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); })`;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', probe], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('EACCES');
  });

  it('still serves the scheduler: a restarted pod runs again', async () => {
    const before = (await svc('pod', 'info', 'p-0')).stdout;
    expect((await svc('pod', 'restart', 'p-0')).code).toBe(0);
    await waitFor('p-0 running again', async () => {
      const now = await svc('pod', 'status', 'p-0');
      return now.stdout.includes('(RUNNING)') && (await svc('pod', 'info', 'p-0')).stdout !== before;
    });
  });

  it('is removed with the service on uninstall', async () => {
    expect((await svc('uninstall', 'chan', '--yes')).code).toBe(0);
    expect(existsSync(ch.runtimeDir)).toBe(false);
  });
});

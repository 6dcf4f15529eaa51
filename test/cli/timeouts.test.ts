// The client gives up on a scheduler that does not connect or does not answer, and says which.
// Real sockets: a server that accepts and never answers (a hung scheduler, or a half-open --url),
// and a listener whose accept queue is full (the connection itself never completes).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SvcClient, TimeoutError } from '../../src/client/index.js';
import { makeDeps } from '../../src/cli/deps.js';
import { testIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writePidFile } from '../../src/util/process-ref.js';

let hung: Server;
let hungUrl: string;
const held: Socket[] = [];

beforeAll(async () => {
  // accepts every connection and reads the request, but never writes a byte back
  hung = createServer((s) => {
    held.push(s);
    s.resume();
  });
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  hungUrl = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => hung.close(r));
});

describe('the response timeout', () => {
  it('a scheduler that accepts and never answers fails with "response timeout", in about that time', async () => {
    const c = new SvcClient({ url: hungUrl, responseTimeoutMs: 300 });
    const t0 = performance.now();
    const e = await c.plans().then(() => undefined, (x: unknown) => x);
    const ms = performance.now() - t0;
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as TimeoutError).phase).toBe('response');
    expect((e as Error).message).toBe(`the scheduler at ${hungUrl}/v1/plans accepted the connection but sent no answer within 0.3 s (response timeout); it may be hung (its log: scheduler.log in the service's folder)`);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3000);
  });

  it('an answer that stops half-way is timed out too', async () => {
    const slow = createServer((s) => {
      held.push(s);
      s.once('data', () => s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n["dep'));
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const c = new SvcClient({ url: `http://127.0.0.1:${(slow.address() as { port: number }).port}`, responseTimeoutMs: 300 });
      const e = await c.plans().then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(TimeoutError);
      expect((e as TimeoutError).phase).toBe('response');
    } finally {
      await new Promise((r) => slow.close(r));
    }
  });

  it('a scheduler that answers in time is not cut off, and the timer does not keep the process alive', async () => {
    const ok = createServer((s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n["deploy"]')));
    await new Promise<void>((r) => ok.listen(0, '127.0.0.1', r));
    try {
      const c = new SvcClient({ url: `http://127.0.0.1:${(ok.address() as { port: number }).port}`, responseTimeoutMs: 300 });
      expect((await c.plans()).body).toEqual(['deploy']);
    } finally {
      await new Promise((r) => ok.close(r));
    }
  });

  it('the CLI reports it as "not reachable" (exit 3) naming the response timeout', async () => {
    const io = testIo();
    const deps = makeDeps(io, { SVC_HOME: '/nonexistent' });
    const client = deps.client.bind(deps);
    const code = await main(['node', 'svc', '--url', hungUrl, 'plan', 'list'], { ...deps, client: async (g) => new SvcClient({ url: (await client(g)).baseUrl, responseTimeoutMs: 200 }) });
    expect(code).toBe(3);
    expect(io.stderr()).toMatch(/^svc: the scheduler at http:\/\/127\.0\.0\.1:\d+\/v1\/plans accepted the connection but sent no answer within 0\.2 s \(response timeout\)/);
  });
});

// A listen(0) socket that never accepts: once one connection fills its queue, the next SYN is
// dropped and connect() never completes, as with a host that is down or a firewall that drops.
const python = spawnSync('python3', ['-c', '0']).status === 0;
describe.skipIf(!python)('the connect timeout (needs python3 for a listener that never accepts; skipped without it)', () => {
  let listener: ChildProcess;
  let port: number;
  let filler: Socket;
  beforeAll(async () => {
    listener = spawn('python3', ['-c', 'import socket,sys\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\nsys.stdin.read()'], { stdio: ['pipe', 'pipe', 'inherit'] });
    port = await new Promise<number>((r) => listener.stdout!.once('data', (d) => r(Number(String(d).trim()))));
    filler = connect(port, '127.0.0.1');
    await new Promise((r) => filler.once('connect', r));
  });
  afterAll(() => {
    filler.destroy();
    listener.kill();
  });

  it('a connection that never completes fails with "connect timeout"', async () => {
    const c = new SvcClient({ url: `http://127.0.0.1:${port}`, connectTimeoutMs: 300, responseTimeoutMs: 60_000 });
    const e = await c.plans().then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as TimeoutError).phase).toBe('connect');
    expect((e as Error).message).toBe(`cannot reach the scheduler at http://127.0.0.1:${port}/v1/plans: no connection after 0.3 s (connect timeout); is the address right and the host up?`);
  });
});

describe('commands that must not hang on a hung scheduler', () => {
  const home = mkdtempSync(join(tmpdir(), 'svc-hung-'));
  let sleeper: ChildProcess;
  afterAll(() => {
    sleeper?.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  /** A registry entry whose scheduler "runs" (a live pid of ours) at the hung server's address. */
  const installHung = (name: string) => {
    sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    const dir = join(home, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'service.json'), JSON.stringify({ name, source: { kind: 'spec', path: '/x' }, installedAt: '2026-01-01T00:00:00Z' }));
    writeFileSync(join(dir, 'token'), 't', { mode: 0o600 });
    writeFileSync(join(dir, 'api.json'), JSON.stringify({ url: hungUrl }));
    // a pid file with its process reference, as the scheduler writes it: only such a pid is signalled
    writePidFile(join(dir, 'scheduler.pid'), sleeper.pid);
  };
  const svc = async (args: string[]) => {
    const io = testIo();
    const code = await main(['node', 'svc', ...args], makeDeps(io, { SVC_HOME: home }));
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  };

  it('svc services lists a hung scheduler as DOWN within the probe timeout', async () => {
    installHung('stuck');
    const t0 = performance.now();
    const r = await svc(['services', '--json']);
    expect(performance.now() - t0).toBeLessThan(8000);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([expect.objectContaining({ name: 'stuck', status: 'DOWN' })]);
  }, 15_000);

  it('svc uninstall of a hung scheduler gives up on it and sweeps', async () => {
    const t0 = performance.now();
    const r = await svc(['uninstall', 'stuck', '--yes']);
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stderr).toContain('service stuck uninstalled');
    // the sweep killed the "scheduler"
    await expect.poll(() => sleeper.exitCode !== null || sleeper.signalCode !== null, { timeout: 5000 }).toBe(true);
  }, 25_000);
});

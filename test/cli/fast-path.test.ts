// The lean path of the read commands (src/cli/fast.ts through the built bin/svc): byte for byte
// what the full program prints, for answers and for failures, and it declines what it does not
// know. A real HTTP server stands in for the scheduler of a service installed in a temp SVC_HOME.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResponse } from '../../src/cli/lean-get.js';

const SVC = resolve(import.meta.dirname, '../../bin/svc');
const PLAN = { phases: [{ id: 'p1', name: 'hello', steps: [{ id: 's1', status: 'COMPLETE', name: 'hello-0:[server]', message: '' }], strategy: 'serial', status: 'COMPLETE' }], errors: [], strategy: 'serial', status: 'COMPLETE' };
// a crash-looping task too: both paths add why it failed and its restarts (svc's GET /v1/tasks)
// and a task whose name carries a terminal escape: printed by both paths alike
const POD_STATUS = { service: 'hello-world', pods: [{ name: 'hello', instances: [{ name: 'hello-0', tasks: [{ id: 't1', name: 'hello-0-server', status: 'RUNNING' }, { id: 't2', name: 'hello-0-crash', status: 'FAILED' }, { id: 't3', name: 'evil-\x1b[2J' }] }] }] };
const INSTANCE = { name: 'hello-0', tasks: [{ id: 't1', name: 'hello-0-server', status: 'RUNNING' }] };
const ANSWERS: Record<string, { status?: number; body: unknown; chunked?: boolean }> = {
  // a plan name that must stay one path segment (svc describe reads each plan)
  '/v1/plans': { body: ['deploy', 'recovery', 'x/../y?z'] },
  '/v1/plans/recovery': { status: 417, body: { ...PLAN, status: 'ERROR' } },
  '/v1/plans/x%2F..%2Fy%3Fz': { status: 202, body: { ...PLAN, status: 'IN_PROGRESS' } },
  '/v1/health': { body: {} },
  '/v1/plans/deploy': { body: PLAN, chunked: true },
  // a step waiting for resources: both paths print why under it, from the placement log
  '/v1/plans/busy': { status: 202, body: { ...PLAN, status: 'IN_PROGRESS', phases: [{ ...PLAN.phases[0], status: 'IN_PROGRESS', steps: [{ id: 's2', status: 'PREPARED', name: 'hello-0:[server]', message: '' }] }] } },
  '/v2/debug/offers': { body: { acceptedCount: 0, rejectedCount: 1, failureReasons: {}, offers: [{ timestamp: 1, 'pod-instance-name': 'hello-0:[server]', outcome: 'fail', explanation: ['agent-1: hostname:LIKE:nowhere.*: agent-1.local does not match'] }] } },
  '/v1/pod': { body: ['hello-0'] },
  '/v1/pod/status': { body: POD_STATUS, chunked: true },
  '/v1/pod/hello-0/status': { body: INSTANCE },
  '/v1/tasks': { body: [{ name: 'hello-0-server', pod: 'hello-0', status: 'RUNNING', failures: 0 }, { name: 'hello-0-crash', pod: 'hello-0', status: 'FAILED', message: 'exited with code 3', lastFailure: 'exited with code 3', failures: 4 }] },
  '/v1/endpoints': { body: ['hello'] },
  '/v1/pod/hello-0/info': { body: [{ info: { name: 'hello-0-server' }, status: { state: 'TASK_RUNNING' } }] },
  '/v1/configurations': { body: ['c1'] },
  '/v1/configurations/c1': { body: { name: 'hello-world' } },
  '/v1/configurations/target': { body: { name: 'hello-world' }, chunked: true },
  '/v1/configurations/targetId': { body: ['c1'] },
  '/v1/state/frameworkId': { body: ['f1'] },
  '/v1/state/properties': { body: ['last-completed-update-type'] },
  '/v1/state/properties/last-completed-update-type': { body: 'DEPLOY' },
  '/v1/endpoints/hello': { body: { address: ['127.1.2.2:10000'], dns: ['hello-0-server.hello-world.autoip.dcos.thisdcos.directory:10000'] } },
};

let server: Server;
let home: string;
let many: string;
/** Each request's path and whether its Host header came in lower case (the lean path's, not node:http's). */
const seen: Array<{ path: string; lean: boolean }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    seen.push({ path, lean: req.rawHeaders.includes('host') });
    // `svc services` probes other schedulers too: one answering its health with JSON that does not
    // parse (DOWN), one whose tasks crash-loop (FAILING), one whose tasks answer is an error (no crash loop then)
    const token = req.headers.authorization;
    if (token === 'token=badjson' && path === '/v1/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{not json');
    if (token === 'token=crashy') return void res.writeHead(200, { 'content-type': 'application/json' }).end(path === '/v1/tasks' ? '[{"name":"a","failing":true}]' : '{}');
    if (token === 'token=notasks') return void res.writeHead(path === '/v1/health' ? 202 : 500, { 'content-type': 'application/json' }).end('{}');
    if (token !== 'token=s3cret') return void res.writeHead(401).end();
    const a = ANSWERS[path];
    if (!a) return void res.writeHead(404, { 'content-type': 'text/plain' }).end(`${path} not found`);
    const text = JSON.stringify(a.body, null, 2);
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
    if (a.chunked) {
      res.write(text.slice(0, 10));
      res.end(text.slice(10));
    } else res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  home = mkdtempSync(join(tmpdir(), 'svc-fast-'));
  const dir = join(home, 'hello-world');
  mkdirSync(dir);
  writeFileSync(join(dir, 'service.json'), JSON.stringify({ name: 'hello-world', source: { kind: 'spec', path: '/x' }, installedAt: '2026-01-01T00:00:00Z' }));
  writeFileSync(join(dir, 'api.json'), JSON.stringify({ url: `http://127.0.0.1:${port}`, pid: process.pid }));
  writeFileSync(join(dir, 'scheduler.pid'), String(process.pid)); // alive, as a running scheduler's
  writeFileSync(join(dir, 'token'), 's3cret\n');
  // a home of several services for `svc services`: the one above, one down, one failed, a hostile
  // name, and schedulers answering oddly
  many = mkdtempSync(join(tmpdir(), 'svc-fast-many-'));
  const install = (name: string, files: Record<string, string>) => {
    mkdirSync(join(many, name));
    writeFileSync(join(many, name, 'service.json'), JSON.stringify({ name, source: { kind: 'spec', path: '/x' }, installedAt: '2026-01-01T00:00:00Z' }));
    for (const [f, text] of Object.entries(files)) writeFileSync(join(many, name, f), text);
  };
  const running = (token: string) => ({ 'api.json': JSON.stringify({ url: `http://127.0.0.1:${port}/`, pid: process.pid }), 'scheduler.pid': String(process.pid), token });
  install('hello-world', running('s3cret'));
  install('down', { 'scheduler.pid': '999999999' });
  install('stopped', { 'scheduler.pid': '999999999', stopped: '2026-01-01T00:00:00Z' });
  install('failed', { ...running('s3cret'), failed: '' });
  install('bad-json', running('badjson'));
  install('crashy', running('crashy'));
  install('notasks', running('notasks'));
  install('evil-\x1b[2J', {});
});

afterAll(() => {
  server.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(many, { recursive: true, force: true });
});

function svc(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [SVC, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SVC_HOME: home, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
  });
}

describe('the lean path of the read commands', () => {
  const served = [
    ['plan', 'list'],
    ['plan', 'show', 'deploy'],
    ['plan', 'status', 'deploy'],
    ['plan', 'show', 'deploy', '--json'],
    ['--json', 'plan', 'show', 'deploy'],
    ['plan', 'show', 'busy'],
    ['pod', 'list'],
    ['pod', 'status'],
    ['pod', 'status', 'hello-0'],
    ['pod', 'status', '--json'],
    ['endpoints'],
    ['endpoints', 'hello'],
    ['endpoint', 'hello', '--name', 'hello-world'],
    ['--name=hello-world', 'pod', 'list'],
    ['plans', 'list'],
    ['pods', 'status', 'hello-0'],
    ['pod', 'info', 'hello-0'],
    ['config', 'list'],
    ['configs', 'show', 'c1'],
    ['config', 'target'],
    ['config', 'target_id'],
    ['config', 'target-id'],
    ['state', 'framework_id'],
    ['state', 'framework-id'],
    ['state', 'properties'],
    ['state', 'property', 'last-completed-update-type'],
    ['state', 'property', 'last-completed-update-type', '--json'],
    ['task', 'list'],
    ['tasks', 'list', '--json'],
    ['--json', 'task', 'list'],
    ['describe'],
    ['describe', '--json'],
    ['--name', 'hello-world', 'describe'],
  ];
  for (const args of served) {
    it(`serves \`svc ${args.join(' ')}\` itself, as the full program prints it`, async () => {
      seen.length = 0;
      const lean = await svc(args);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((s) => s.lean)).toBe(true);
      const full = await svc(args, { SVC_FAST: '0' });
      expect(lean).toEqual(full);
      expect(lean.code).toBe(0);
    });
  }

  const declined = [
    ['plan', 'show', 'nope'], // 404: the full program names the plans
    ['pod', 'status', 'nope'],
    ['plan', 'show'], // a missing argument
    ['config', 'show', 'nope'],
    ['state', 'property', 'nope'],
    ['pod', 'info', 'nope'],
    ['plan', 'show', 'deploy', 'extra'],
    ['plan', 'show', 'deploy', '--watch'], // options of the full program only
    ['plan', 'show', 'deploy', '-v'],
    ['constructor'], // not a route, whatever the object prototype has
    ['__proto__', 'x'],
    ['--name', 'other', 'plan', 'list'], // not installed
    ['--name', '../etc', 'plan', 'list'], // a hostile service name
    ['endpoints', 'hello\r\nx-evil: 1'], // a header injection attempt is a 404 path, not a header
    ['task', 'list', 'extra'],
    ['describe', 'extra'],
    ['--name', 'nope', 'describe'],
  ];
  for (const args of declined) {
    it(`leaves \`svc ${JSON.stringify(args)}\` to the full program, with its answer`, async () => {
      seen.length = 0;
      const lean = await svc(args);
      const full = await svc(args, { SVC_FAST: '0' });
      expect(lean).toEqual(full);
      if (args.includes('--watch') || args.includes('-v')) expect(seen.some((s) => s.lean)).toBe(false);
      else expect(lean.code).not.toBe(0);
    });
  }

  it('serves `svc services` itself, probing each scheduler as the launcher does', async () => {
    for (const args of [['services'], ['services', '--json']]) {
      seen.length = 0;
      const lean = await svc(args, { SVC_HOME: many });
      expect(seen.filter((s) => s.path === '/v1/health').length).toBe(4);
      expect(seen.every((s) => s.lean)).toBe(true);
      expect(lean).toEqual(await svc(args, { SVC_HOME: many, SVC_FAST: '0' }));
      expect(lean.code).toBe(0);
    }
    const list = JSON.parse((await svc(['services', '--json'], { SVC_HOME: many })).stdout) as Array<{ name: string; status: string }>;
    expect(Object.fromEntries(list.map((s) => [s.name, s.status]))).toEqual({ 'hello-world': 'RUNNING', down: 'DOWN', stopped: 'STOPPED', failed: 'FAILED', 'bad-json': 'DOWN', crashy: 'FAILING', notasks: 'DEPLOYING', 'evil-\x1b[2J': 'DOWN' });
  });

  it('leaves `svc services` to the full program when a home holds none, or a scheduler speaks https', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'svc-fast-none-'));
    try {
      const lean = await svc(['services'], { SVC_HOME: empty });
      expect(lean).toEqual(await svc(['services'], { SVC_HOME: empty, SVC_FAST: '0' }));
      expect(lean.stderr).toContain('no services installed');
      mkdirSync(join(empty, 'tls'));
      writeFileSync(join(empty, 'tls', 'service.json'), JSON.stringify({ name: 'tls', source: { kind: 'spec', path: '/x' }, installedAt: '2026-01-01T00:00:00Z' }));
      writeFileSync(join(empty, 'tls', 'api.json'), JSON.stringify({ url: 'https://127.0.0.1:1', pid: process.pid }));
      writeFileSync(join(empty, 'tls', 'scheduler.pid'), String(process.pid));
      seen.length = 0;
      const tls = await svc(['services'], { SVC_HOME: empty });
      expect(seen.length).toBe(0);
      expect(tls).toEqual(await svc(['services'], { SVC_HOME: empty, SVC_FAST: '0' }));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('paints a terminal as the full program does (chalk is bundled into the lean path)', async () => {
    // script(1) from util-linux gives the command a pseudo-terminal (spawned, not spawnSync: this
    // process serves the API)
    const inTerminal = (env: Record<string, string>) =>
      new Promise<string>((res) => {
        const child = spawn('script', ['-qc', `${process.execPath} ${SVC} plan show deploy`, '/dev/null'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SVC_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', () => res(out));
      });
    const lean = await inTerminal({});
    expect(lean).toContain('\x1b[32mCOMPLETE\x1b[39m');
    expect(lean).toBe(await inTerminal({ SVC_FAST: '0' }));
  });

  it('prints the version itself', async () => {
    const lean = await svc(['--version']);
    expect(lean).toEqual(await svc(['--version'], { SVC_FAST: '0' }));
    expect(lean.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('parseResponse (the lean GET)', () => {
  const raw = (s: string) => Buffer.from(s, 'latin1');
  it('reads a body by content-length, and a chunked one', () => {
    expect(parseResponse(raw('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n[]'))).toEqual({ status: 200, contentType: 'application/json', text: '[]' });
    expect(parseResponse(raw('HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n')).text).toBe('abcde');
  });
  it('refuses truncated or malformed answers', () => {
    expect(() => parseResponse(raw('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n[]'))).toThrow(/content-length/);
    expect(() => parseResponse(raw('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab'))).toThrow(/truncated/);
    expect(() => parseResponse(raw('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n'))).toThrow(/chunk size/);
    expect(() => parseResponse(raw('SMTP 220 hello\r\n\r\n'))).toThrow(/status line/);
    expect(() => parseResponse(raw('HTTP/1.1 200 OK\r\n'))).toThrow(/end of headers/);
  });
});

// The CLI over real HTTP to an in-process server: --verbose traces, the token, transport failures,
// and "not installed" from an empty SVC_HOME. No process is spawned.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeps } from '../../src/cli/deps.js';
import { testIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

let server: Server;
let url: string;
const seen: Array<{ method?: string; url?: string; auth?: string }> = [];
const home = mkdtempSync(join(tmpdir(), 'svc-cli-'));

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization });
    if (req.headers.authorization !== 'token=s3cret') return void res.writeHead(401).end();
    if (req.url === '/v1/plans') return void res.writeHead(200, { 'content-type': 'application/json' }).end('["deploy"]');
    if (req.url === '/v1/pod') return void res.writeHead(200, { 'content-type': 'application/json' }).end('not json');
    // a client given --url reaches tasks through the API only
    if (req.url === '/v1/tasks/far-0-server/logs?stream=stderr&lines=1&follow=true') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('err 1\n');
      setTimeout(() => res.end('err 2\n'), 20);
      return;
    }
    if (req.url === '/v1/tasks/far-0-server/exec' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push({ method: 'BODY', url: body });
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"stdout":"out 1\\n"}\n{"stderr":"err\\n"}\n');
        res.end('{"stdout":"out 2\\n"}\n{"exit":3}\n');
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Plan nope not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(home, { recursive: true, force: true });
});

async function svc(args: string[], env: Record<string, string>) {
  const io = testIo();
  const code = await main(['node', 'svc', ...args], makeDeps(io, { SVC_HOME: home, ...env }));
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('over HTTP', () => {
  it('task exec with --url streams the command through the API, exit status included', async () => {
    seen.length = 0;
    const r = await svc(['task', 'exec', 'far-0-server', 'cat', 'file'], { SVC_URL: url, SVC_TOKEN: 's3cret' });
    expect(r).toEqual({ code: 3, stdout: 'out 1\nout 2\n', stderr: 'err\n' });
    expect(seen.find((x) => x.method === 'BODY')?.url).toBe('{"cmd":"cat","args":["file"]}');
    const tty = await svc(['task', 'exec', '-i', 'far-0-server', 'sh'], { SVC_URL: url, SVC_TOKEN: 's3cret' });
    expect(tty.code).toBe(2);
    expect(tty.stderr).toContain('not supported: -i/-t through the API (--url/SVC_URL)');
  });

  it('task log --follow with --url streams the log through the API', async () => {
    const r = await svc(['task', 'log', 'far-0-server', '--stderr', '--lines', '1', '--follow'], { SVC_URL: url, SVC_TOKEN: 's3cret' });
    expect(r).toEqual({ code: 0, stdout: 'err 1\nerr 2\n', stderr: '' });
  });

  it('--verbose traces each request and response on stderr, and sends the token', async () => {
    seen.length = 0;
    const r = await svc(['plan', 'list', '--verbose'], { SVC_URL: url, SVC_TOKEN: 's3cret' });
    expect(r).toEqual({ code: 0, stdout: '[\n  "deploy"\n]\n', stderr: `HTTP Query: GET ${url}/v1/plans\nResponse: 200 (10 bytes)\n` });
    expect(seen).toEqual([{ method: 'GET', url: '/v1/plans', auth: 'token=s3cret' }]);
  });

  it('--url and --token override the environment', async () => {
    const r = await svc(['--url', url, '--token', 's3cret', 'plan', 'list'], { SVC_URL: 'http://127.0.0.1:1', SVC_TOKEN: 'wrong' });
    expect(r.code).toBe(0);
  });

  it('a wrong token is a failure that says where the token is', async () => {
    const r = await svc(['plan', 'list'], { SVC_URL: url, SVC_TOKEN: 'wrong' });
    expect(r).toEqual({ code: 1, stdout: '', stderr: `svc: GET ${url}/v1/plans: 401 Unauthorized: bad or missing token (see $SVC_HOME/<service>/token or --token)\n` });
  });

  it('a reply that is not JSON is a failure, not a crash', async () => {
    const r = await svc(['pod', 'list'], { SVC_URL: url, SVC_TOKEN: 's3cret' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^svc: the scheduler sent a reply that is not valid JSON: .*\n$/);
  });

  it('a refused connection exits 3', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const r = await svc(['plan', 'list'], { SVC_URL: `http://127.0.0.1:${port}` });
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr: `svc: cannot reach the scheduler at http://127.0.0.1:${port}/v1/plans: ECONNREFUSED; is the service installed and its scheduler running? (svc services)\n`,
    });
  });

  it('with nothing installed, commands exit 3 with a next step', async () => {
    const r = await svc(['describe'], {});
    expect(r).toEqual({ code: 3, stdout: '', stderr: `svc: no service is installed in $SVC_HOME (${home}); install one with: svc install <svc.yml>\n` });
  });

  it('an unknown --name exits 3', async () => {
    const r = await svc(['--name', 'nope', 'pod', 'list'], {});
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'svc: service "nope" is not installed\n' });
  });

  it('services with nothing installed prints nothing on stdout', async () => {
    expect(await svc(['services'], {})).toEqual({ code: 0, stdout: '', stderr: `no services installed in ${home}; install one with: svc install <svc.yml>\n` });
    expect(await svc(['services', '--json'], {})).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });
});

describe('the token, kept off the command line', () => {
  const file = (name: string, text: string, mode: number) => {
    const f = join(home, name);
    writeFileSync(f, text);
    chmodSync(f, mode);
    return f;
  };

  it('SVC_TOKEN is sent with --url', async () => {
    seen.length = 0;
    const r = await svc(['--url', url, 'plan', 'list'], { SVC_TOKEN: 's3cret' });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(seen.at(-1)?.auth).toBe('token=s3cret');
  });

  it('--token-file reads the token (trailing newline dropped) and wins over SVC_TOKEN; a private file gives no warning', async () => {
    seen.length = 0;
    const r = await svc(['--url', url, '--token-file', file('token', 's3cret\n', 0o600), 'plan', 'list'], { SVC_TOKEN: 'wrong' });
    expect(r).toEqual({ code: 0, stdout: '[\n  "deploy"\n]\n', stderr: '' });
    expect(seen.at(-1)?.auth).toBe('token=s3cret');
  });

  it('a token file others can read is used, with a warning naming its mode', async () => {
    const f = file('open-token', 's3cret', 0o644);
    const r = await svc(['plan', 'list', '--url', url, '--token-file', f], {});
    expect(r).toEqual({ code: 0, stdout: '[\n  "deploy"\n]\n', stderr: `svc: warning: --token-file ${f} can be read by other users (mode 0644); chmod 600 it\n` });
  });

  it('--token still wins over both (for scripts that already pass it)', async () => {
    const r = await svc(['--url', url, '--token', 's3cret', '--token-file', file('bad', 'wrong', 0o600), 'plan', 'list'], { SVC_TOKEN: 'wrong' });
    expect(r.code).toBe(0);
  });

  it('a missing or empty token file is a usage error naming the file', async () => {
    const missing = join(home, 'nope');
    expect(await svc(['--url', url, '--token-file', missing, 'plan', 'list'], {})).toEqual({ code: 2, stdout: '', stderr: `svc: --token-file ${missing}: cannot read it (ENOENT)\n` });
    const empty = file('empty', '\n', 0o600);
    expect(await svc(['--url', url, '--token-file', empty, 'plan', 'list'], {})).toEqual({ code: 2, stdout: '', stderr: `svc: --token-file ${empty}: the file is empty\n` });
  });
});

describe('--url that is not an http(s) URL', () => {
  it('is a usage error (exit 2) naming the option, before any request', async () => {
    expect(await svc(['--url', 'not-a-url', 'plan', 'list'], {})).toEqual({ code: 2, stdout: '', stderr: 'svc: --url not-a-url: not a URL; expected http://host:port or https://host/service/<name>\n' });
    expect(await svc(['plan', 'list', '--url', 'ftp://h/x'], {})).toEqual({ code: 2, stdout: '', stderr: 'svc: --url ftp://h/x: expected an http:// or https:// URL\n' });
  });

  it('from SVC_URL, the message names SVC_URL', async () => {
    expect(await svc(['plan', 'list'], { SVC_URL: 'nope' })).toEqual({ code: 2, stdout: '', stderr: 'svc: SVC_URL nope: not a URL; expected http://host:port or https://host/service/<name>\n' });
  });
});

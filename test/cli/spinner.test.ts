// The spinner of a wait, in a real pseudo-terminal (util-linux `script`) running the built svc
// against a local scheduler stand-in: cyan by default, no colour at all with NO_COLOR.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const hasScript = spawnSync('script', ['--version']).status === 0;
const COLOUR = /\x1b\[(3\d|9\d)m/;

describe.skipIf(!hasScript)('the wait spinner in a terminal (needs util-linux script; skipped without it)', () => {
  let server: Server;
  let url: string;
  let completeAt = 0;
  let started = false;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'POST') {
        started = true;
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"message":"Received cmd: start"}');
      }
      // pending until started: plan start refuses a plan already in progress
      const status = !started ? 'PENDING' : Date.now() >= completeAt ? 'COMPLETE' : 'IN_PROGRESS';
      const plan = { phases: [{ id: 'p', name: 'hello', strategy: 'serial', status, steps: [{ id: 's', name: 'hello-0:[server]', status, message: '' }] }], strategy: 'serial', errors: [], status };
      res.writeHead(status === 'COMPLETE' ? 200 : 202, { 'content-type': 'application/json' }).end(JSON.stringify(plan));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  /** Runs a wait in a pty; the server answers from this process, so the child is awaited, not spawnSync'd. */
  const waitInTerminal = async (env: Record<string, string>, cols = 100): Promise<string> => {
    completeAt = Date.now() + 600; // long enough for several frames
    started = false;
    const child = spawn('script', ['-qec', `stty cols ${cols} rows 40; node bin/svc --url ${url} plan start deploy --wait`, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(out).toContain('deploy COMPLETE: 1/1 steps complete');
    return out;
  };

  it('is coloured on a colour terminal', async () => {
    expect(await waitInTerminal({})).toMatch(COLOUR);
  });

  it('has no colour at all with NO_COLOR', async () => {
    expect(await waitInTerminal({ NO_COLOR: '1' })).not.toMatch(COLOUR);
  });

  it('a terminal of no width gets progress lines, not an endless redraw', async () => {
    const out = await waitInTerminal({}, 0);
    expect(out).not.toContain('\x1b[1A');
    expect(out).toContain('waiting for plan deploy');
  });
});

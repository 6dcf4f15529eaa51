// svc task exec as an operator runs it, on hello-world: on this machine through the local engine,
// or through the API when given --url; either way nothing the command started outlives it.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { installedService, pidAlive, runSvc, SVC, waitFor } from './helpers.js';

const hello = installedService('examples/hello-world', 'hello-world');
const svc = (...args: string[]) => runSvc(args, hello.env);

describe('svc task exec', () => {
  it('on this machine: a svc ended by a signal ends its exec, grandchildren included', async () => {
    const cli = spawn(process.execPath, [SVC, 'task', 'exec', 'hello-0-server', 'sh', '-c', 'sleep 300 & echo $!; wait'], { env: { ...process.env, ...hello.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const sleeper = Number(await waitFor('the sleep pid', () => out.includes('\n') && out.trim(), 10_000));
    expect(pidAlive(sleeper)).toBe(true);
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill('SIGTERM');
    await exited;
    await waitFor('the grandchild gone', () => !pidAlive(sleeper), 10_000);
  });

  it('on this machine: what the command left in the background ends with it', async () => {
    const r = await svc('task', 'exec', 'hello-0-server', 'sh', '-c', 'sleep 300 & echo $!');
    expect(r.code).toBe(0);
    await waitFor('the background sleep gone', () => !pidAlive(Number(r.stdout.trim())), 10_000);
  });

  it('with --url: through the API (the scheduler runs it), the same task env and exit status', async () => {
    const r = await runSvc(['--url', hello.api.base, '--token', hello.api.token, 'task', 'exec', 'hello-1-server', 'sh', '-c', 'echo $TASK_NAME; exit 5'], { ...hello.env, SVC_HOME: '/nonexistent' });
    expect([r.code, r.stdout]).toEqual([5, 'hello-1-server\n']);
    const it = await runSvc(['--url', hello.api.base, '--token', hello.api.token, 'task', 'exec', '-it', 'hello-1-server', 'sh'], hello.env);
    expect([it.code, it.stderr]).toEqual([2, 'svc: not supported: -i/-t through the API (--url/SVC_URL); run svc task exec -it hello-1-server on the machine where the service is installed\n']);
    const log = await runSvc(['--url', hello.api.base, '--token', hello.api.token, 'task', 'log', 'hello-1-server', '--lines', '0'], hello.env);
    expect([log.code, log.stdout]).toEqual([0, '']);
  });
});

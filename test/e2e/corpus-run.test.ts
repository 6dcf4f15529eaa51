// The original's hello-world specs that exercise the engine, run unchanged through the hello-world
// package: pod (executor) volumes, MOUNT volumes, a shared pid namespace, and uris fetched from a
// local HTTP server standing in for the internet (the spec's URLs are rewritten to it, nothing else).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runSvc, tempHome } from './helpers.js';

/** The project's copies of the SDK's specs (see test/fixtures/dcos-commons/README.md). */
const SPECS = resolve(ROOT, 'test/fixtures/dcos-commons');
const t = tempHome();
let server: Server;
let base = '';
const served = join(t.home, 'www');
const pkg = join(t.home, 'helloworld-package');

beforeAll(async () => {
  mkdirSync(served, { recursive: true });
  writeFileSync(join(served, 'README.md'), '# served README\n');
  writeFileSync(join(served, 'generate.sh'), 'echo generate\n');
  writeFileSync(join(served, 'extra.txt'), 'from the zip\n');
  execFileSync('zip', ['-q', '-j', join(served, 'bootstrap.zip'), join(served, 'extra.txt')]);
  server = createServer((req, res) => {
    try {
      const body = readFileSync(join(served, (req.url ?? '/').split('/').pop() ?? ''));
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // the package, with its build-time artifact placeholders pointing at the local server
  cpSync(join(SPECS, 'helloworld-package'), pkg, { recursive: true });
  const resource = join(pkg, 'resource.json');
  writeFileSync(resource, readFileSync(resource, 'utf8').replaceAll('{{artifact-dir}}', base));
});
afterAll(async () => {
  server?.close();
  t.cleanup();
});

/** Installs one spec of the corpus (optionally rewritten) and uninstalls it; returns what install said. */
let runs = 0;
async function run(spec: string, rewrite: (text: string) => string = (x) => x, wait = '90') {
  const file = join(t.home, `${++runs}-${spec}`);
  writeFileSync(file, rewrite(readFileSync(join(SPECS, 'helloworld', spec), 'utf8')));
  const home = { SVC_HOME: join(t.home, `home-${runs}`) };
  mkdirSync(home.SVC_HOME);
  const install = await runSvc(['install', pkg, '--spec', file, '--timeout', wait], home);
  const status = await runSvc(['pod', 'status'], home);
  const log = await runSvc(['task', 'log', 'hello-0-server'], home);
  const schedulerLog = readFileSync(join(home.SVC_HOME, 'hello-world', 'scheduler.log'), 'utf8');  await runSvc(['uninstall', 'hello-world', '--yes'], home);
  return { install, status: status.stdout, log: log.stdout, schedulerLog };
}

describe('corpus specs on the local engine', () => {
  it('executor_volume.yml: a pod volume shared by every task of the pod', async () => {
    const r = await run('executor_volume.yml');
    expect(r.install.code).toBe(0);
    expect(r.status).toContain('hello-0-server (RUNNING)');
  });

  it('pod-mount-volume.yml: MOUNT volumes as directories, non-essential tasks', async () => {
    const r = await run('pod-mount-volume.yml');
    expect(r.install.code).toBe(0);
    expect(r.status).toContain('hello-0-agent (RUNNING)');
  });

  it('share_pid_namespace.yml: the ONCE task sees the same pid namespace as the server', async () => {
    const r = await run('share_pid_namespace.yml');
    expect(r.install.code).toBe(0);
    expect(r.status).toContain('hello-0-once (FINISHED)');
  });

  it('uri.yml: uris fetched into the sandbox before the task starts', async () => {
    const r = await run('uri.yml', (text) => text.replaceAll(/https:\/\/github\.com\/[^"\s]*\/(README\.md|generate\.sh)/g, `${base}/$1`));
    expect(r.install.code).toBe(0);
    expect(r.log).toContain('# served README');
  });

  it('multiport.yml: a static and a dynamic port with env-key, bootstrap.zip fetched and extracted', async () => {
    const r = await run('multiport.yml');
    expect(r.install.code).toBe(0);
    expect(r.status).toContain('multiport-0-server (FINISHED)');
  });

  it('a uri that cannot be fetched fails the task with the reason, and the launch backs off', async () => {
    const r = await run('uri.yml', (text) => text.replaceAll(/https:\/\/github\.com\/[^"\s]*\/(README\.md|generate\.sh)/g, `${base}/missing-$1`), '4');
    expect(r.install.code).toBe(1);
    // the wait ends between attempts (PENDING) or during one (STARTING)
    expect(r.install.stderr).toMatch(/plan deploy is still (PENDING|STARTING) after 4 s/);
    expect(r.install.stderr).toContain('(a task keeps failing: svc task log hello-0-server --stderr)');
    expect(r.schedulerLog).toContain(`task hello-0-server TASK_FAILED: sandbox setup failed: fetch of ${base}/missing-README.md failed: HTTP 404`);
    // the package enables backoff with the original's defaults: 60 s after the first failure, so
    // one attempt within the 4 s, not a tight loop
    const attempts = r.schedulerLog.match(/launching hello-0:\[server\]/g)?.length ?? 0;
    expect(attempts).toBe(1);
  });
});

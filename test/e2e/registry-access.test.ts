// How image pulls reach registries, real and offline: a docker-registry behind htpasswd auth on
// loopback, pulled with the installing user's auth file (REGISTRY_AUTH_FILE, ~/.docker/config.json)
// and never copying its credentials; and a plain-HTTP registry on this machine's non-loopback
// address, refused without `--insecure-registry` and pulled with it. Skipped (loudly) where the
// tools, root or a non-loopback address are missing.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestImage, missingImageTools, onPath, pushImage, startRegistry, type Registry } from '../support/image-registry.js';
import { killIfAlive, processesUnder, runSvc, tempHome, waitFor } from './helpers.js';

const missing = [...missingImageTools(), ...(onPath('python3') ? [] : ['python3'])];
if (missing.length > 0) console.warn(`\n*** test/e2e/registry-access.test.ts SKIPPED: missing ${missing.join(', ')} ***\n`);

/** This machine's first IPv4 address beyond loopback (`ip -4 -o addr`), where a registry is not trusted by default. */
function nonLoopbackAddress(): string | undefined {
  try {
    const out = execFileSync('ip', ['-4', '-o', 'addr'], { encoding: 'utf8' });
    return [...out.matchAll(/\binet (\d+\.\d+\.\d+\.\d+)\//g)].map((m) => m[1]).find((a) => !a.startsWith('127.'));
  } catch {
    return undefined;
  }
}
const EXTERNAL = nonLoopbackAddress();
if (!EXTERNAL) console.warn('\n*** test/e2e/registry-access.test.ts: --insecure-registry tests SKIPPED: no non-loopback IPv4 address (ip -4 -o addr) ***\n');

const USER = { name: 'svc-tester', password: `pw-${process.pid}-${Date.now().toString(36)}` };
const basic = (user: string, password: string) => Buffer.from(`${user}:${password}`).toString('base64');
/** The scheduler's launch backoff (off by default): a TASK_ERROR lasts until it is looked at. */
const BACKOFF = { ENABLE_BACKOFF: 'true', FRAMEWORK_INITIAL_BACKOFF: '1', FRAMEWORK_BACKOFF_FACTOR: '2' };

const work = mkdtempSync(join(tmpdir(), 'svc-registry-access-'));
const t = tempHome();
const spec = join(work, 'svc.yml');

describe('svc install --insecure-registry', () => {
  it('refuses a hostile value naming the flag, before anything is created', async () => {
    for (const v of ['http://192.0.2.2:5000', '192.0.2.2:5000/x', 'a b', '']) {
      const r = await runSvc(['install', 'examples/hello-world', '--insecure-registry', v], t.env);
      expect(r.code, v).toBe(2);
      expect(r.stderr).toContain(`--insecure-registry ${JSON.stringify(v)}: `);
    }
    expect(existsSync(join(t.home, 'hello-world'))).toBe(false);
  });
});

describe.skipIf(missing.length > 0)('image pulls: registry credentials and plain-HTTP registries', () => {
  let authed: Registry;
  let plain: Registry | undefined;
  const layout = join(work, 'layout');

  beforeAll(async () => {
    // one pod of the image IMAGE, ready once its container answers (the marker exists only in the image)
    writeFileSync(spec, 'name: {{NAME}}\npods:\n  box:\n    count: 1\n    image: {{IMAGE}}\n    tasks:\n      server:\n        goal: RUNNING\n        cmd: exec sleep 1000\n        cpus: 0.1\n        memory: 32\n        readiness-check:\n          cmd: test -e /etc/svc-image-marker\n          interval: 1\n          delay: 0\n          timeout: 5\n');
    buildTestImage(layout, '1', 'registry-access');
    authed = await startRegistry({ dir: join(work, 'authed'), user: USER });
    // one tag per test: the store serves a reference it has without asking the registry again
    for (const tag of ['file', 'wrong', 'home', 'anonymous']) pushImage(layout, '1', `${authed.address}/memcached:${tag}`, USER);
    if (EXTERNAL) {
      plain = await startRegistry({ dir: join(work, 'plain'), host: EXTERNAL });
      pushImage(layout, '1', `${plain.address}/memcached:1`);
    }
  }, 120_000);

  afterAll(async () => {
    for (const p of processesUnder(t.home)) killIfAlive(p.pid);
    for (const service of existsSync(t.home) ? readdirSync(t.home) : []) {
      const root = join(t.home, service, 'runc');
      if (!existsSync(root)) continue;
      for (const c of (JSON.parse(execFileSync('runc', ['--root', root, 'list', '--format', 'json'], { encoding: 'utf8' })) as Array<{ id: string }> | null) ?? []) {
        execFileSync('runc', ['--root', root, 'delete', '--force', c.id]);
      }
    }
    for (const m of readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${t.home}/`))) execFileSync('umount', ['-l', m]);
    await authed?.stop();
    await plain?.stop();
    t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const install = (name: string, image: string, env: Record<string, string>, ...flags: string[]) => runSvc(['install', spec, ...flags], { ...t.env, NAME: name, IMAGE: image, ...env });
  const svc = (...args: string[]) => runSvc(args, t.env);
  const deployed = async (name: string) => (await svc('plan', 'status', 'deploy', '--name', name)).stdout.includes('(COMPLETE)');
  const taskStatus = async (name: string) => (JSON.parse((await svc('task', 'list', '--json', '--name', name)).stdout) as Array<{ status: string }>)[0]?.status;
  const statusMessage = async (name: string) => (JSON.parse((await svc('pod', 'info', 'box-0', '--name', name)).stdout) as Array<{ status: { message: string } | null }>)[0]?.status?.message ?? '';
  const uninstall = async (name: string) => expect((await svc('uninstall', name, '--yes')).code).toBe(0);

  /** An auth file as `podman login`/`docker login` write it. */
  function authFile(path: string, password: string): string {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, JSON.stringify({ auths: { [authed.address]: { auth: basic(USER.name, password) } } }), { mode: 0o600 });
    return path;
  }

  /** Every file under `dir` holding `needle` (regular files; the store's image files included). */
  function filesHolding(dir: string, needle: string): string[] {
    const found: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        const st = lstatSync(p);
        if (st.isDirectory()) walk(p);
        else if (st.isFile() && readFileSync(p).includes(needle)) found.push(p);
      }
    };
    walk(dir);
    return found;
  }

  /** The bodies of the scheduler API's read endpoints for `name`. */
  async function apiAnswers(name: string): Promise<string> {
    const dir = join(t.home, name);
    const { url } = JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')) as { url: string };
    const headers = { authorization: `token=${readFileSync(join(dir, 'token'), 'utf8').trim()}` };
    const paths = ['/v1/plans/deploy', '/v1/pod/status', '/v1/pod/box-0/info', '/v1/configurations/target', '/v1/state/properties', '/v1/debug/taskStatuses', '/v1/debug/reservations', '/v1/tasks', '/v1/endpoints', '/v1/metrics'];
    const bodies = await Promise.all(paths.map(async (p) => `${p}: ${await (await fetch(`${url}${p}`, { headers })).text()}`));
    return bodies.join('\n');
  }

  it('pulls with the credentials of REGISTRY_AUTH_FILE, recording its path only: the password is nowhere under $SVC_HOME, in the task env or API answers', async () => {
    const file = authFile(join(work, 'creds', 'auth.json'), USER.password);
    const r = await install('file', `${authed.address}/memcached:file`, { REGISTRY_AUTH_FILE: file });
    expect(r.code, r.stderr).toBe(0);
    expect(await deployed('file')).toBe(true);
    const recorded = JSON.parse(readFileSync(join(t.home, 'file', 'service.json'), 'utf8')) as { options: { registries: unknown } };
    expect(recorded.options.registries).toEqual({ authFiles: [file] });
    for (const secret of [USER.password, basic(USER.name, USER.password)]) {
      expect(filesHolding(t.home, secret)).toEqual([]);
      expect(await apiAnswers('file')).not.toContain(secret);
      expect((await svc('--name', 'file', 'task', 'exec', 'box-0-server', 'env')).stdout).not.toContain(secret);
    }
    await uninstall('file');
  }, 120_000);

  it('fails a wrong password with TASK_ERROR naming the registry and the failed authentication, then pulls once the file is fixed', async () => {
    const file = authFile(join(work, 'wrong', 'auth.json'), 'not-the-password');
    const r = await install('wrong', `${authed.address}/memcached:wrong`, { REGISTRY_AUTH_FILE: file, ...BACKOFF }, '--no-wait');
    expect(r.code, r.stderr).toBe(0);
    await waitFor('TASK_ERROR', async () => (await taskStatus('wrong')) === 'ERROR', 60_000);
    const message = await statusMessage('wrong');
    expect(message).toContain(`memcached:wrong cannot be pulled: authentication to registry ${authed.address} failed with the credentials of ${file}`);
    expect(message).not.toContain('not-the-password');
    // the file is read at each pull: a login after install is used once the remembered failure's wait is over
    authFile(file, USER.password);
    await waitFor('deploy COMPLETE', () => deployed('wrong'), 90_000, 250);
    await uninstall('wrong');
  }, 180_000);

  it("pulls with HOME's ~/.docker/config.json when no REGISTRY_AUTH_FILE is set, and anonymously (failing, saying so) when there is none", async () => {
    const home = join(work, 'user-home');
    const docker = authFile(join(home, '.docker', 'config.json'), USER.password);
    const r = await install('home', `${authed.address}/memcached:home`, { HOME: home });
    expect(r.code, r.stderr).toBe(0);
    expect(await deployed('home')).toBe(true);
    const recorded = JSON.parse(readFileSync(join(t.home, 'home', 'service.json'), 'utf8')) as { options: { registries: { authFiles: string[] } } };
    expect(recorded.options.registries.authFiles).toEqual([join(home, '.config/containers/auth.json'), docker]);
    await uninstall('home');

    const empty = join(work, 'empty-home');
    mkdirSync(empty);
    const a = await install('anonymous', `${authed.address}/memcached:anonymous`, { HOME: empty, ...BACKOFF }, '--no-wait');
    expect(a.code, a.stderr).toBe(0);
    await waitFor('TASK_ERROR', async () => (await taskStatus('anonymous')) === 'ERROR', 60_000);
    expect(await statusMessage('anonymous')).toContain(`authentication to registry ${authed.address} failed anonymously (no auth file: none of ${join(empty, '.config/containers/auth.json')}, ${join(empty, '.docker/config.json')} exists)`);
    await uninstall('anonymous');
  }, 180_000);

  describe.skipIf(!EXTERNAL)('a plain-HTTP registry beyond loopback', () => {
    const address = () => {
      if (!plain) throw new Error('no registry on a non-loopback address');
      return plain.address;
    };
    it('is refused without --insecure-registry, with a TASK_ERROR naming the flag and its value', async () => {
      const ref = `${address()}/memcached:1`;
      const r = await install('tls', ref, BACKOFF, '--no-wait');
      expect(r.code, r.stderr).toBe(0);
      await waitFor('TASK_ERROR', async () => (await taskStatus('tls')) === 'ERROR', 60_000);
      expect(await statusMessage('tls')).toContain(`memcached:1 cannot be pulled: registry ${address()} speaks plain HTTP, not HTTPS; if you trust it, install the service with --insecure-registry ${address()}`);
      await uninstall('tls');
    }, 120_000);

    it('is pulled with --insecure-registry host:port (at once: the failure without it is not held against it), kept across svc update', async () => {
      const ref = `${address()}/memcached:1`;
      const r = await install('insecure', ref, {}, '--insecure-registry', address(), '--insecure-registry', 'other.example:5000');
      expect(r.code, r.stderr).toBe(0);
      expect(await deployed('insecure')).toBe(true);
      const options = () => (JSON.parse(readFileSync(join(t.home, 'insecure', 'service.json'), 'utf8')) as { options: { registries: { insecure: string[] } } }).options.registries;
      expect(options().insecure).toEqual([address(), 'other.example:5000']);
      // an update (here: the task's command) rolls the pod; the registries stay the service's
      writeFileSync(spec, readFileSync(spec, 'utf8').replace('exec sleep 1000', 'exec sleep 1001'));
      try {
        const u = await runSvc(['update', 'start', '--wait', '--name', 'insecure'], { ...t.env, NAME: 'insecure', IMAGE: ref });
        expect(u.code, u.stderr).toBe(0);
      } finally {
        writeFileSync(spec, readFileSync(spec, 'utf8').replace('exec sleep 1001', 'exec sleep 1000'));
      }
      expect(options().insecure).toEqual([address(), 'other.example:5000']);
      await uninstall('insecure');
    }, 180_000);
  });
});

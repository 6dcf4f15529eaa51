// Secrets and TLS end to end, with the built svc and real tasks: secrets reach a task as env and
// files (seen from inside it with `svc task exec`), never land in the service's state, spec, logs
// or API answers; a foreign secret path is refused; a rotated secret rolls out with `svc update
// start`; a TLS task's HTTPS verifies by name against `svc tls ca`; its keystore parses as
// PKCS#12; uninstall removes the service's certificates and keeps the CA.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_UPSTREAM_CORPUS, UPSTREAM_CORPUS } from '../upstream.js';
import { ROOT, runSvc, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const keyDir = mkdtempSync(join(tmpdir(), 'svc-key-')); // the key lives outside $SVC_HOME
const inputs = mkdtempSync(join(tmpdir(), 'svc-input-')); // the operator's files, outside too
const env = { ...t.env, SVC_SECRET_KEY_FILE: join(keyDir, 'secret.key') };
const svc = (...args: string[]) => runSvc(args, env);
const SECRET1 = 'first-secret-7d1c5e';
const SECRET2 = 'second-secret-0b93aa';
const ROTATED = 'rotated-secret-4f20e1';
const NAME = 'web-0-server.hello-world.autoip.dcos.thisdcos.directory';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const home = join(t.home, 'hello-world');
const sandbox = (pod: string, task: string) => {
  const agents = readdirSync(join(home, 'agents'));
  const dir = agents.map((a) => join(home, 'agents', a, 'executors', pod, 'sandboxes', `${pod}-${task}`)).find((d) => existsSync(d));
  if (!dir) throw new Error(`no sandbox for ${pod}-${task}`);
  return dir;
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Files under `dir` holding `needle`, except those the spec delivers it in. */
const holding = (dir: string, needle: string, delivered: readonly string[] = []) =>
  filesUnder(dir).filter((f) => !delivered.some((d) => f.endsWith(`/${d}`)) && readFileSync(f).includes(needle)).map((f) => relative(dir, f));

async function api(path: string): Promise<{ status: number; text: string }> {
  const { url } = JSON.parse(readFileSync(join(home, 'api.json'), 'utf8')) as { url: string };
  const token = readFileSync(join(home, 'token'), 'utf8').trim();
  const res = await fetch(url + path, { headers: { authorization: `token=${token}` } });
  return { status: res.status, text: await res.text() };
}

describe('secrets and TLS', () => {
  beforeAll(() => {
    writeFileSync(join(inputs, 'secret2.txt'), SECRET2);
  });
  afterAll(async () => {
    await svc('uninstall', 'hello-world', '--yes');
    t.cleanup();
    rmSync(keyDir, { recursive: true, force: true });
    rmSync(inputs, { recursive: true, force: true });
  });

  it('refuses to install while a secret is missing, naming the spec field', async () => {
    const r = await svc('install', 'examples/hello-secrets');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pods.hello.secrets.s1.secret: no secret hello-world/secret1');
    expect(existsSync(home)).toBe(false);
  });

  it('refuses a spec that reads the secret of another service', async () => {
    const spec = join(t.home, 'thief.yml');
    writeFileSync(spec, readFileSync(join(ROOT, 'examples/hello-secrets/svc.yml'), 'utf8').replace('name: hello-world', 'name: thief'));
    const r = await svc('install', spec);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pods.hello.secrets.s1.secret: secret "hello-world/secret1" is outside the scope of service "thief"');
    expect(existsSync(join(t.home, 'thief'))).toBe(false);
  });

  it('creates secrets from --value and --file, lists paths only, refuses hostile paths', async () => {
    expect((await svc('secret', 'create', 'hello-world/secret1', '--value', SECRET1)).code).toBe(0);
    expect((await svc('secret', 'create', 'hello-world/secret2', '--file', join(inputs, 'secret2.txt'))).code).toBe(0);
    const list = await svc('secret', 'list', 'hello-world/');
    expect(list.stdout).toBe('hello-world/secret1\nhello-world/secret2\n');
    for (const bad of ['../escape', '/etc/passwd', 'a/../../b', 'a//b']) {
      const r = await svc('secret', 'create', bad, '--value', 'x');
      expect(r.code, bad).toBe(2);
    }
    expect(filesUnder(t.home).filter((f) => !f.includes('/.secrets/') && !f.endsWith('.yml'))).toEqual([]);
  });

  it('installs: the task sees its secrets in env and in 0400 files', async () => {
    const r = await svc('install', 'examples/hello-secrets');
    expect(r.code, r.stderr).toBe(0);
    expect((await svc('task', 'exec', 'hello-0-server', 'cat', 'HELLO_SECRET1_FILE')).stdout).toBe(SECRET1);
    expect((await svc('task', 'exec', 'hello-0-server', 'cat', 'secrets/HELLO_SECRET2_FILE')).stdout).toBe(SECRET2);
    expect((await svc('task', 'exec', 'hello-0-server', 'stat', '-c', '%a', 'HELLO_SECRET1_FILE', 'secrets/HELLO_SECRET2_FILE')).stdout).toBe('400\n400\n');
    // the task wrote only the digest of $HELLO_SECRET1_ENV
    const digest = await waitFor('env digest', async () => (await svc('task', 'exec', 'hello-0-server', 'cat', 'env.sha256')).stdout.trim());
    expect(digest).toBe(sha(SECRET1));
  });

  it('keeps the values out of every other file of $SVC_HOME and out of every API answer', async () => {
    const delivered = ['HELLO_SECRET1_FILE', 'HELLO_SECRET2_FILE'];
    for (const value of [SECRET1, SECRET2]) expect(holding(t.home, value, delivered)).toEqual([]);
    expect(holding(keyDir, SECRET1)).toEqual([]);
    const paths = ['/v1/plans', '/v1/plans/deploy', '/v1/pod', '/v1/pod/status', '/v1/pod/hello-0/info', '/v1/pod/hello-0/status', '/v1/configurations', '/v1/configurations/target',
      '/v1/endpoints', '/v1/state/properties', '/v1/state/frameworkId', '/v1/debug/plans', '/v1/debug/reservations', '/v1/debug/taskStatuses', '/v2/debug/offers', '/v1/metrics', '/v1/state/zone/tasks'];
    const ids = JSON.parse((await api('/v1/configurations')).text) as string[];
    for (const p of [...paths, ...ids.map((id) => `/v1/configurations/${id}`)]) {
      const r = await api(p);
      expect(r.status, p).toBeLessThan(500);
      expect(r.text.includes(SECRET1) || r.text.includes(SECRET2), p).toBe(false);
    }
    for (const args of [['pod', 'info', 'hello-0'], ['task', 'list'], ['describe'], ['config', 'target'], ['debug', 'state']]) {
      const r = await svc(...args, '--json');
      expect(r.stdout + r.stderr, args.join(' ')).not.toContain(SECRET1);
    }
  });

  it('serves HTTPS with a certificate for the task name that curl verifies against svc tls ca', async () => {
    const ca = (await svc('tls', 'ca')).stdout;
    writeFileSync(join(t.home, 'ca.pem'), ca);
    const ep = JSON.parse((await svc('endpoints', 'https')).stdout) as { address: string[]; dns: string[] };
    expect(ep.dns[0].split(':')[0]).toBe(NAME);
    const [ip, port] = ep.address[0].split(':');
    const curl = (host: string) => spawnSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '10', '--cacert', join(t.home, 'ca.pem'), '--resolve', `${host}:${port}:${ip}`, `https://${host}:${port}/`], { encoding: 'utf8' });
    const ok = await waitFor('https answers', () => {
      const r = curl(NAME);
      return r.status === 0 && r.stdout === '200' && r;
    }, 20_000, 200);
    expect(ok.stdout).toBe('200');
    const wrong = curl('web-1-server.hello-world.autoip.dcos.thisdcos.directory');
    expect(wrong.status).toBe(60); // the certificate names another host
    const cert = new X509Certificate(readFileSync(join(sandbox('web-0', 'server'), 'web.crt')));
    expect(cert.subjectAltName).toBe(`DNS:${NAME}, DNS:web.hello-world.l4lb.thisdcos.directory, IP Address:${ip}`);
    expect(readFileSync(join(sandbox('web-0', 'server'), 'web.ca'), 'utf8')).toBe(ca);
    expect(statSync(join(sandbox('web-0', 'server'), 'web.key')).mode & 0o777).toBe(0o400);
    // the scheduler keeps the certificate's dates, to restart the pod before it expires
    const ledger = JSON.parse(readFileSync(join(home, 'tls-issued.json'), 'utf8')) as Record<string, { podInstance: string; notAfter: number }>;
    expect(ledger['web-0-server.hello-world']).toMatchObject({ podInstance: 'web-0', notAfter: Date.parse(cert.validTo) });
  });

  it('delivers a PKCS#12 keystore and truststore that openssl (and keytool, when present) read with password notsecure', async () => {
    const info = await svc('task', 'exec', 'web-0-server', 'openssl', 'pkcs12', '-in', 'java.keystore', '-passin', 'pass:notsecure', '-info', '-nodes');
    expect(info.code, info.stderr).toBe(0);
    expect(info.stdout).toContain('friendlyName: default');
    expect(info.stdout).toContain('CN = web-0-server.hello-world');
    expect(info.stdout).toContain('PRIVATE KEY');
    if (spawnSync('keytool', ['-help']).error === undefined) {
      const dir = sandbox('web-0', 'server');
      const ks = execFileSync('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', join(dir, 'java.keystore'), '-storepass', 'notsecure'], { encoding: 'utf8' });
      expect(ks).toMatch(/default, .*PrivateKeyEntry/);
      const ts = execFileSync('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', join(dir, 'java.truststore'), '-storepass', 'notsecure'], { encoding: 'utf8' });
      expect(ts).toMatch(/dcos-root, .*trustedCertEntry/);
    }
  });

  it('renews the certificate when the task is relaunched', async () => {
    const crt = () => new X509Certificate(readFileSync(join(sandbox('web-0', 'server'), 'web.crt'))).serialNumber;
    const before = crt();
    expect((await svc('pod', 'restart', 'web-0')).code).toBe(0);
    await waitFor('new certificate', () => {
      try {
        return crt() !== before;
      } catch {
        return false; // being rewritten
      }
    }, 30_000, 100);
  });

  it('rotates a secret: svc secret update, then svc update start relaunches its tasks with the new value', async () => {
    const nothing = await svc('update', 'start');
    expect(nothing.code).toBe(1); // the spec did not change and no secret was rotated
    expect((await svc('secret', 'update', 'hello-world/secret1', '--value', ROTATED)).code).toBe(0);
    const r = await svc('update', 'start', '--wait');
    expect(r.code, r.stderr).toBe(0);
    await waitFor('rotated file', async () => (await svc('task', 'exec', 'hello-0-server', 'cat', 'HELLO_SECRET1_FILE')).stdout === ROTATED, 30_000, 200);
    await waitFor('rotated env', async () => (await svc('task', 'exec', 'hello-0-server', 'cat', 'env.sha256')).stdout.trim() === sha(ROTATED), 30_000, 200);
    expect(holding(t.home, ROTATED, ['HELLO_SECRET1_FILE'])).toEqual([]);
  });

  it('uninstall removes the service and its certificates; the CA stays', async () => {
    const ca = readFileSync(join(t.home, 'ca.pem'), 'utf8');
    const taskCert = readFileSync(join(sandbox('web-0', 'server'), 'web.crt'), 'utf8').split('\n')[1];
    expect((await svc('uninstall', 'hello-world', '--yes')).code).toBe(0);
    expect(existsSync(home)).toBe(false);
    expect(holding(t.home, taskCert)).toEqual([]);
    expect((await svc('tls', 'ca')).stdout).toBe(ca);
    expect((await svc('secret', 'list')).stdout).toBe('hello-world/secret1\nhello-world/secret2\n'); // secrets belong to the operator
  });
});

describe('svc spec validate', () => {
  it.skipIf(!HAS_UPSTREAM_CORPUS)('accepts the corpus specs with secrets (the upstream corpus: SVC_UPSTREAM_CORPUS)', async () => {
    for (const f of ['sdk-tests/valid-secrets.yml', 'sdk-tests/valid-secrets-env.yml']) {
      const r = await runSvc(['spec', 'validate', join(UPSTREAM_CORPUS, f)], { SVC_HOME: t.home });
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
    }
  });
  it('accepts the example with secrets and transport-encryption', async () => {
    const r = await runSvc(['spec', 'validate', 'examples/hello-secrets'], { SVC_HOME: t.home });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('svc install --tls', () => {
  const h = tempHome();
  const keys = mkdtempSync(join(tmpdir(), 'svc-key-'));
  const tenv = { ...h.env, SVC_SECRET_KEY_FILE: join(keys, 'secret.key') };
  afterAll(async () => {
    await runSvc(['uninstall', 'hello-world', '--yes'], tenv);
    h.cleanup();
    rmSync(keys, { recursive: true, force: true });
  });

  it('serves the scheduler API over HTTPS with a certificate from the same CA, which the CLI trusts without flags', async () => {
    const r = await runSvc(['install', 'examples/hello-world', '--tls'], tenv);
    expect(r.code, r.stderr).toBe(0);
    const { url } = JSON.parse(readFileSync(join(h.home, 'hello-world', 'api.json'), 'utf8')) as { url: string };
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse((await runSvc(['plan', 'list'], tenv)).stdout)).toEqual(['deploy', 'recovery']);
    const token = readFileSync(join(h.home, 'hello-world', 'token'), 'utf8').trim();
    // --url to the same scheduler: the CA of $SVC_HOME is trusted too
    expect((await runSvc(['plan', 'list', '--url', url, '--token', token], tenv)).code).toBe(0);
    writeFileSync(join(h.home, 'ca.pem'), (await runSvc(['tls', 'ca'], tenv)).stdout);
    const curl = (...extra: string[]) => spawnSync('curl', ['-sS', '--max-time', '10', '-H', `authorization: token=${token}`, ...extra, `${url}/v1/plans`], { encoding: 'utf8' });
    expect(curl('--cacert', join(h.home, 'ca.pem')).stdout).toContain('deploy');
    expect(curl().status).toBe(60); // not trusted by the system's CAs
    const plain = spawnSync('curl', ['-sS', '--max-time', '10', url.replace('https:', 'http:') + '/v1/plans'], { encoding: 'utf8' });
    expect(plain.stdout).not.toContain('deploy');
  });
});

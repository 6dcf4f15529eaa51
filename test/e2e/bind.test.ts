// --bind beyond loopback would serve the API (task exec included) and its token over plain HTTP:
// refused unless it is served over HTTPS (--tls, or the operator's --tls-cert/--tls-key) or the
// operator says --insecure.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSvc, tempHome } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
const spec = join(t.home, 'bound.yml');
writeFileSync(spec, 'name: bound\npods:\n  p:\n    count: 1\n    tasks:\n      s: { goal: RUNNING, cpus: 0.1, memory: 16, cmd: exec sleep 1000 }\n');

describe('install --bind', () => {
  afterAll(async () => {
    await svc('uninstall', 'bound', '--yes');
    t.cleanup();
  });

  it.each(['0.0.0.0', '::', '10.1.2.3'])('refuses non-loopback %s without --insecure, installing nothing', async (ip) => {
    const r = await svc('install', spec, '--bind', ip);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--bind ${ip} would serve the API (task exec included) and its token over plain HTTP beyond this machine; add --tls (or --tls-cert/--tls-key) to serve HTTPS, or --insecure to accept plain HTTP`);
    expect(existsSync(join(t.home, 'bound'))).toBe(false);
  });

  it('refuses --tls-cert without --tls-key, and a certificate file that does not exist', async () => {
    const half = await svc('install', spec, '--bind', '0.0.0.0', '--tls-cert', join(t.home, 'c.pem'));
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--tls-cert and --tls-key go together');
    const missing = await svc('install', spec, '--bind', '0.0.0.0', '--tls-cert', join(t.home, 'nope.pem'), '--tls-key', join(t.home, 'nope.key'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no such file: ${join(t.home, 'nope.pem')}`);
    expect(existsSync(join(t.home, 'bound'))).toBe(false);
  });

  it("serves HTTPS on a non-loopback bind with the operator's own --tls-cert/--tls-key", async () => {
    const [cert, key] = [join(t.home, 'api.pem'), join(t.home, 'api.key')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const r = await svc('install', spec, '--bind', '0.0.0.0', '--tls-cert', cert, '--tls-key', key, '--no-wait');
    expect(r.code, r.stderr).toBe(0);
    const url = new URL(JSON.parse(readFileSync(join(t.home, 'bound', 'api.json'), 'utf8')).url as string);
    expect(url.protocol).toBe('https:');
    const token = readFileSync(join(t.home, 'bound', 'token'), 'utf8');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: url.port, path: '/v1/plans', ca: readFileSync(cert), headers: { authorization: `token=${token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect((await svc('uninstall', 'bound', '--yes')).code).toBe(0);
  });

  it('installs on a non-loopback bind with --insecure', async () => {
    const r = await svc('install', spec, '--bind', '0.0.0.0', '--insecure', '--no-wait');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(t.home, 'bound', 'service.json'), 'utf8')).options.bind).toBe('0.0.0.0');
  });
});

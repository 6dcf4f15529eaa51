// --bind beyond loopback would serve the API (task exec included) and its token over plain HTTP:
// refused unless the operator says --insecure; TLS is not supported yet and says so.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(r.stderr).toContain(`--bind ${ip} would serve the API (task exec included) and its token over plain HTTP beyond this machine; add --insecure`);
    expect(existsSync(join(t.home, 'bound'))).toBe(false);
  });

  it('refuses --tls-cert/--tls-key as not supported', async () => {
    const r = await svc('install', spec, '--bind', '0.0.0.0', '--tls-cert', 'c.pem', '--tls-key', 'k.pem');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not supported: --tls-cert/--tls-key');
  });

  it('installs on a non-loopback bind with --insecure', async () => {
    const r = await svc('install', spec, '--bind', '0.0.0.0', '--insecure', '--no-wait');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(t.home, 'bound', 'service.json'), 'utf8')).options.bind).toBe('0.0.0.0');
  });
});

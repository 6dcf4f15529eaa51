import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caCertificate, ensureCa, issueCertificate, keystore, truststore, KEYSTORE_PASSWORD } from '../../src/tls/index.js';
import { randomBytes } from 'node:crypto';
import { which } from '../../src/tls/openssl.js';

const root = mkdtempSync(join(tmpdir(), 'svc-tls-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const key = randomBytes(32);

describe('the $SVC_HOME CA and task certificates', () => {
  it('creates the CA once, its key sealed, and issues a certificate for the task names and IP', async () => {
    const ca = await ensureCa(root, key);
    const again = await ensureCa(root, key);
    expect(again.certPem).toBe(ca.certPem);
    expect(caCertificate(root)).toBe(ca.certPem);
    expect(statSync(join(root, '.tls')).mode & 0o777).toBe(0o700);
    const stored = readFileSync(join(root, '.tls', 'ca.json'), 'utf8');
    expect(stored).not.toContain('PRIVATE KEY');
    await expect(ensureCa(root, randomBytes(32))).rejects.toThrow(/cannot be decrypted/);

    const issued = await issueCertificate(ca, { commonName: 'hello-0-server.hello-world', dnsNames: ['hello-0-server.hello-world.autoip.dcos.thisdcos.directory', 'web.hello-world.l4lb.thisdcos.directory'], ips: ['127.0.0.2'] });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.subjectAltName).toBe('DNS:hello-0-server.hello-world.autoip.dcos.thisdcos.directory, DNS:web.hello-world.l4lb.thisdcos.directory, IP Address:127.0.0.2');
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.checkHost('hello-0-server.hello-world.autoip.dcos.thisdcos.directory')).toBeTruthy();
    expect(cert.checkHost('other.autoip.dcos.thisdcos.directory')).toBeUndefined();

    const p12 = join(root, 'k.keystore');
    writeFileSync(p12, await keystore(issued));
    const info = execFileSync('openssl', ['pkcs12', '-info', '-in', p12, '-passin', `pass:${KEYSTORE_PASSWORD}`, '-nodes'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(info).toContain('friendlyName: default');
    expect(info).toContain('PRIVATE KEY');
    expect(info).toContain('subject=O = svc, CN = hello-0-server.hello-world');
    const ts = join(root, 'k.truststore');
    writeFileSync(ts, await truststore(ca.certPem));
    if (which('keytool')) {
      const list = execFileSync('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', ts, '-storepass', KEYSTORE_PASSWORD], { encoding: 'utf8' });
      expect(list).toMatch(/dcos-root, .*trustedCertEntry/);
      const ks = execFileSync('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', p12, '-storepass', KEYSTORE_PASSWORD], { encoding: 'utf8' });
      expect(ks).toMatch(/default, .*PrivateKeyEntry/);
    }
  }, 60_000);

  it.each([['evil,DNS:x', []], ['a\nsubjectAltName=DNS:*', []], ['ok.name', ['1.2.3.4,IP:5.6.7.8']]])('refuses a hostile name %j / ip %j', async (dns, ips) => {
    const ca = await ensureCa(root, key);
    await expect(issueCertificate(ca, { commonName: 'x', dnsNames: [dns], ips: ips as string[] })).rejects.toThrow(/not a DNS name|not an IP/);
  });
});

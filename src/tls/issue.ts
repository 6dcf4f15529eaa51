// A certificate per task, signed by the $SVC_HOME CA, and the files the original mounted for
// `transport-encryption` (TLSArtifact.java): `<name>.crt` (certificate, then chain without the
// root), `<name>.key`, `<name>.ca` (root) in PEM for TLS; `<name>.keystore` (key entry "default")
// and `<name>.truststore` (root as "dcos-root"), PKCS#12 with password "notsecure"
// (TLSArtifactsGenerator.KEYSTORE_PASSWORD), for KEYSTORE.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isIP } from 'node:net';
import type { Ca } from './ca.js';
import { newRsaKey } from './keys.js';
import { opensslRun, run, TlsError, which } from './openssl.js';

export const KEYSTORE_PASSWORD = 'notsecure';
export const CERT_DAYS = 365;
/** RFC 5280 ub-common-name; the original kept the CN's last 64 characters. */
const CN_MAX = 64;
const DNS_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

export interface CertRequest {
  readonly commonName: string;
  readonly dnsNames: readonly string[];
  readonly ips: readonly string[];
}

export interface Issued {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
}

/** Each name checked before it reaches an openssl config line. */
function subjectAltNames(req: CertRequest): string {
  for (const d of req.dnsNames) if (!DNS_NAME.test(d) || d.length > 253) throw new TlsError(`not a DNS name for a certificate: ${JSON.stringify(d)}`);
  for (const ip of req.ips) if (!isIP(ip)) throw new TlsError(`not an IP address for a certificate: ${JSON.stringify(ip)}`);
  return [...new Set(req.dnsNames)].map((d) => `DNS:${d}`).concat([...new Set(req.ips)].map((ip) => `IP:${ip}`)).join(',');
}

export async function issueCertificate(ca: Ca, req: CertRequest, days = CERT_DAYS): Promise<Issued> {
  const sans = subjectAltNames(req);
  const cn = req.commonName.slice(-CN_MAX);
  if (!DNS_NAME.test(cn)) throw new TlsError(`not a common name for a certificate: ${JSON.stringify(cn)}`);
  const keyPem = await newRsaKey();
  const csr = await opensslRun(['req', '-new', '-key', '/dev/stdin', '-subj', `/O=svc/CN=${cn}`], keyPem);
  const dir = mkdtempSync(join(tmpdir(), 'svc-tls-')); // 0700; holds public material only
  try {
    writeFileSync(join(dir, 'csr.pem'), csr);
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(
      join(dir, 'ext.cnf'),
      ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth,clientAuth', `subjectAltName=${sans}`, ''].join('\n'),
    );
    const cert = await opensslRun(['x509', '-req', '-in', 'csr.pem', '-CA', 'ca.pem', '-CAkey', '/dev/stdin', '-set_serial', `0x${randomBytes(16).toString('hex')}`,
      '-days', String(days), '-sha256', '-extfile', 'ext.cnf'], ca.keyPem, dir);
    return { certPem: cert.toString('utf8'), keyPem, caPem: ca.certPem };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** PKCS#12 with the private key under alias "default" and the chain to the root. */
export async function keystore(issued: Issued): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'svc-tls-'));
  try {
    writeFileSync(join(dir, 'chain.pem'), issued.certPem + issued.caPem);
    return await opensslRun(['pkcs12', '-export', '-inkey', '/dev/stdin', '-in', 'chain.pem', '-name', 'default', '-passout', `pass:${KEYSTORE_PASSWORD}`], issued.keyPem, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * PKCS#12 trust store holding the root as "dcos-root". Java accepts a certificate-only PKCS#12
 * entry as trusted only with Oracle's trusted-key-usage attribute, which keytool writes and
 * OpenSSL 3.0 cannot (its `-jdktrust` came in 3.2): keytool is used when present, else openssl
 * (readable by OpenSSL and by Java's parser, but Java will list no trusted entry).
 */
export async function truststore(caPem: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'svc-tls-'));
  try {
    writeFileSync(join(dir, 'ca.pem'), caPem);
    const keytool = which('keytool');
    if (keytool) {
      await run(keytool, ['-importcert', '-noprompt', '-storetype', 'PKCS12', '-keystore', 'trust.p12', '-storepass', KEYSTORE_PASSWORD, '-alias', 'dcos-root', '-file', 'ca.pem'], '', dir);
      return readFileSync(join(dir, 'trust.p12'));
    }
    return await opensslRun(['pkcs12', '-export', '-nokeys', '-in', 'ca.pem', '-name', 'dcos-root', '-passout', `pass:${KEYSTORE_PASSWORD}`], '', dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The certificate authority of one $SVC_HOME, created on first use: `$SVC_HOME/.tls/ca.json`
// (0600 in a 0700 folder) holds its certificate and its private key sealed with the secret store's
// key (so it is protected exactly like a secret). It outlives every service: uninstall never
// touches it, so clients that trust it keep trusting the next services.
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { open, seal, type Sealed } from '../secrets/crypto.js';
import { opensslRun } from './openssl.js';
import { newRsaKey } from './keys.js';

export const CA_DAYS = 3650;
const AAD = 'svc-ca-key';

interface CaFile {
  readonly cert: string;
  readonly key: Sealed;
}

export interface Ca {
  readonly certPem: string;
  readonly keyPem: string;
}

export const tlsDir = (svcHome: string): string => join(svcHome, '.tls');
const caFile = (svcHome: string) => join(tlsDir(svcHome), 'ca.json');

export function ensureTlsDir(svcHome: string): string {
  const dir = tlsDir(svcHome);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  return dir;
}

/** The CA's certificate (PEM), or undefined when no CA was created yet. Needs no key. */
export function caCertificate(svcHome: string): string | undefined {
  if (!existsSync(caFile(svcHome))) return undefined;
  return (JSON.parse(readFileSync(caFile(svcHome), 'utf8')) as CaFile).cert;
}

/** The CA, created on first use. Two processes creating it at once agree on one (link is atomic). */
export async function ensureCa(svcHome: string, key: Buffer): Promise<Ca> {
  const file = caFile(svcHome);
  if (!existsSync(file)) {
    const dir = ensureTlsDir(svcHome);
    const keyPem = await newRsaKey();
    const certPem = (
      await opensslRun(['req', '-x509', '-new', '-key', '/dev/stdin', '-sha256', '-days', String(CA_DAYS), '-subj', `/O=svc/CN=svc local CA ${randomBytes(4).toString('hex')}`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], keyPem)
    ).toString('utf8');
    const tmp = join(dir, `ca.json.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, JSON.stringify({ cert: certPem, key: seal(key, AAD, Buffer.from(keyPem)) } satisfies CaFile));
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
  }
  const ca = JSON.parse(readFileSync(file, 'utf8')) as CaFile;
  return { certPem: ca.cert, keyPem: open(key, AAD, ca.key, `the CA key in ${file}`).toString('utf8') };
}

/** Days until the certificate expires (negative once expired). */
export function daysLeft(certPem: string, now = Date.now()): number {
  return (new Date(new X509Certificate(certPem).validTo).getTime() - now) / 86_400_000;
}

// AES-256-GCM with the entry's path as associated data, so a blob moved to another path's file
// fails to decrypt instead of handing one secret out under another's name.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretError } from './errors.js';

export interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

export function seal(key: Buffer, aad: string, plain: Buffer): Sealed {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([c.update(plain), c.final()]);
  return { iv: iv.toString('base64'), tag: c.getAuthTag().toString('base64'), data: data.toString('base64') };
}

export function open(key: Buffer, aad: string, s: Sealed, what: string): Buffer {
  try {
    const d = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(Buffer.from(s.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(s.data, 'base64')), d.final()]);
  } catch {
    throw new SecretError(`${what} cannot be decrypted: it was written with another secret key, or it was altered`, 'failed');
  }
}

// The key that encrypts every secret (and the CA's private key) at rest. It lives apart from the
// store: in the user's config folder (`${XDG_CONFIG_HOME:-~/.config}/svc/secret.key`) or wherever
// $SVC_SECRET_KEY_FILE points, 32 random bytes, 0600 in a 0700 folder. Copying `$SVC_HOME` alone
// (a backup, a bug report) gives encrypted blobs and no key.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { SecretError } from './errors.js';

export const KEY_BYTES = 32;

export function keyFilePath(env: Readonly<Record<string, string | undefined>>): string {
  if (env.SVC_SECRET_KEY_FILE) return resolve(env.SVC_SECRET_KEY_FILE);
  const config = env.XDG_CONFIG_HOME || join(env.HOME ?? '', '.config');
  return resolve(config, 'svc', 'secret.key');
}

const inside = (child: string, parent: string) => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

/**
 * Reads the key, creating it on first use when `create` is set. Refuses a key that others can read
 * (as ssh refuses such a private key) and a key kept inside the folder it protects.
 */
export function loadKey(file: string, protectedDir: string, create: boolean): Buffer {
  if (inside(resolve(file), resolve(protectedDir))) {
    throw new SecretError(`the secret key ${file} lies inside ${protectedDir}, the folder it encrypts; point SVC_SECRET_KEY_FILE elsewhere`, 'usage');
  }
  if (!existsSync(file)) {
    if (!create) throw new SecretError(`no secret key at ${file}: no secret was ever created with this key (set SVC_SECRET_KEY_FILE if it lives elsewhere)`, 'not-found');
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      const fd = openSync(file, 'wx', 0o600); // of two racing creators, one writes the key
      try {
        writeSync(fd, randomBytes(KEY_BYTES).toString('base64') + '\n');
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) throw new SecretError(`the secret key ${file} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${file}`, 'denied');
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new SecretError(`the secret key ${file} is damaged: expected ${KEY_BYTES} base64 bytes`, 'failed');
  return key;
}

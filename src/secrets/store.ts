// The secret store of one $SVC_HOME: one encrypted file per secret in `$SVC_HOME/.secrets/`
// (0700), each 0600, named by a digest of its path so no path ever becomes a file name. Values are
// only ever decrypted in memory: by `svc secret get` (explicitly) and by a scheduler launching a
// task that the service's spec gives the secret to.
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { open, seal, type Sealed } from './crypto.js';
import { SecretError } from './errors.js';
import { keyFilePath, loadKey } from './key.js';
import { validatePrefix, validateSecretPath } from './paths.js';

/** As the DC/OS secret store's default limit. */
export const MAX_SECRET_BYTES = 1024 * 1024;

interface Entry extends Sealed {
  readonly path: string;
  /** Random, new at every write: what a config id may depend on (never the value). */
  readonly version: string;
  readonly updatedAt: string;
}

export interface SecretInfo {
  readonly path: string;
  readonly updatedAt: string;
}

export class SecretStore {
  readonly dir: string;
  private key?: Buffer;

  constructor(
    private readonly svcHome: string,
    private readonly keyFile: string,
  ) {
    this.dir = join(svcHome, '.secrets');
  }

  static forHome(svcHome: string, env: Readonly<Record<string, string | undefined>>): SecretStore {
    return new SecretStore(svcHome, keyFilePath(env));
  }

  /** The encryption key (created on first write); also protects the CA's private key. */
  encryptionKey(create: boolean): Buffer {
    this.key ??= loadKey(this.keyFile, this.svcHome, create);
    return this.key;
  }

  private fileOf(path: string): string {
    return join(this.dir, `${createHash('sha256').update(path).digest('hex')}.json`);
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    if ((statSync(this.dir).mode & 0o777) !== 0o700) chmodSync(this.dir, 0o700);
  }

  private entry(path: string): Entry | undefined {
    const file = this.fileOf(validateSecretPath(path));
    if (!existsSync(file)) return undefined;
    const e = JSON.parse(readFileSync(file, 'utf8')) as Entry;
    if (e.path !== path) throw new SecretError(`${file} holds ${JSON.stringify(e.path)}, not ${JSON.stringify(path)}: the store is damaged`, 'failed');
    return e;
  }

  has(path: string): boolean {
    return this.entry(path) !== undefined;
  }

  create(path: string, value: Buffer): void {
    if (this.has(path)) throw new SecretError(`secret ${path} already exists; change it with: svc secret update ${path}`, 'conflict');
    this.write(path, value);
  }

  update(path: string, value: Buffer): void {
    if (!this.has(path)) throw new SecretError(`no secret ${path}; create it with: svc secret create ${path}`, 'not-found');
    this.write(path, value);
  }

  private write(path: string, value: Buffer): void {
    validateSecretPath(path);
    if (value.length > MAX_SECRET_BYTES) throw new SecretError(`secret ${path} is ${value.length} bytes; the limit is ${MAX_SECRET_BYTES}`, 'usage');
    const key = this.encryptionKey(true);
    this.ensureDir();
    const e: Entry = { path, version: randomBytes(16).toString('hex'), updatedAt: new Date().toISOString(), ...seal(key, path, value) };
    writeFileAtomic(this.fileOf(path), JSON.stringify(e), 0o600);
  }

  get(path: string): Buffer {
    const e = this.entry(path);
    if (!e) throw new SecretError(`no secret ${path}; create it with: svc secret create ${path}`, 'not-found');
    return open(this.encryptionKey(false), path, e, `secret ${path}`);
  }

  /**
   * A digest of the secret's current version (not of its value): it changes at every update, so a
   * spec stamped with it gets a new config id and `svc update start` rolls the new value out.
   */
  versionDigest(path: string): string {
    const e = this.entry(path);
    if (!e) throw new SecretError(`no secret ${path}; create it with: svc secret create ${path}`, 'not-found');
    return createHash('sha256').update(`${e.path}\0${e.version}`).digest('hex').slice(0, 16);
  }

  delete(path: string): void {
    if (!this.has(path)) throw new SecretError(`no secret ${path}`, 'not-found');
    rmSync(this.fileOf(path));
  }

  /** Paths starting with `prefix` (a folder when it ends in `/`), sorted. */
  list(prefix = ''): SecretInfo[] {
    validatePrefix(prefix);
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
    return files
      .map((f) => JSON.parse(readFileSync(join(this.dir, f), 'utf8')) as Entry)
      .filter((e) => e.path.startsWith(prefix))
      .map((e) => ({ path: e.path, updatedAt: e.updatedAt }))
      .sort((a, b) => a.path.localeCompare(b.path));
  }
}

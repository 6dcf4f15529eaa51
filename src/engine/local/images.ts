// The image store of one $SVC_HOME, shared by its services: images are pulled with skopeo into one
// OCI layout (blobs shared, content-addressed) and unpacked once per manifest digest with umoci.
//   .images/oci/                   OCI layout; one tag per digest (its hex)
//   .images/rootfs/<hex>/          umoci bundle: rootfs/ and the image's runtime config.json
//   .images/refs.json              reference → { digest, size, pulledAt }
//   .images/failed.json            reference → its last failed pull { message, failures, at, retryAt, route }
//   .images/lock/                  held (mkdir) by the one process pulling; holds its pid
// A reference is pulled the first time it is asked for, then served from the store (the original's
// container runtime did the same): a new tag is a new reference; `svc images prune` forgets the rest.
// A pull that failed is not tried again for a while (1 s, doubling up to 30 s): the tasks wanting it
// fail at once with its message, so a task relaunched without backoff does not pull in a tight loop.
// Credentials and plain-HTTP registries come with each request (registries.ts): a failure is
// remembered for the route it took, so other settings (a fixed auth file, --insecure-registry) pull.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pidAlive, readJsonFile, writeFileAtomic } from '../../util/fs.js';
import { authFileNow, dockerUrl, registryOf, tlsVerified, type RegistryAccess } from './registries.js';

const run = promisify(execFile);

export interface ImageRecord {
  readonly ref: string;
  /** Manifest digest in the store (`sha256:…`). */
  readonly digest: string;
  /** Bytes of the unpacked root filesystem. */
  readonly size: number;
  readonly pulledAt: string;
}

/** The part of an image's config a container needs (from umoci's generated runtime config). */
export interface ImageConfig {
  readonly env: readonly string[];
  readonly cwd: string;
}

export interface UnpackedImage extends ImageRecord {
  /** The image's unpacked root filesystem: read only, containers get a copy. */
  readonly rootfs: string;
  readonly config: ImageConfig;
}

/** An image that cannot be had: the task fails with TASK_ERROR and this message. */
export class ImageError extends Error {}

export const imagesDir = (svcHome: string): string => join(svcHome, '.images');

/** A failed pull of a reference, remembered so it is retried later, not at every launch. */
interface FailedPull {
  readonly message: string;
  /** Failed pulls in a row. */
  readonly failures: number;
  /** ms since the epoch */
  readonly at: number;
  readonly retryAt: number;
  /** The route it failed on (PullRoute.key). */
  readonly route?: string;
}

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** How long after the retry wait a new failure still counts as one more in a row. */
const RETRY_FORGET_MS = 2 * RETRY_MAX_MS;

/** Docker reference grammar, loosely: registry[:port]/path[:tag][@sha256:hex]; no spaces, no `..`, no leading `-`. */
const REF = /^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9][a-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function checkReference(ref: string): void {
  if (!REF.test(ref) || ref.includes('..')) throw new ImageError(`image ${JSON.stringify(ref)} is not a valid image reference (registry/name:tag or name@sha256:digest)`);
}

/** How a pull reaches its registry: skopeo's arguments, and what a failed pull is remembered under. */
interface PullRoute {
  readonly args: readonly string[];
  /** A failure is remembered for this route only: a reinstall with other credentials or flags pulls at once. */
  readonly key: string;
  readonly registry: string;
  /** The auth file given to skopeo; undefined: anonymous (`authFiles` given) or skopeo's defaults. */
  readonly authFile?: string;
  readonly authFiles?: readonly string[];
}

function route(ref: string, access: RegistryAccess | undefined): PullRoute {
  const registry = registryOf(ref);
  const tlsVerify = tlsVerified(ref, access?.insecure);
  const authFile = access?.authFiles && authFileNow(access.authFiles);
  // no auth file of the installing user: anonymous, rather than whatever the executor's own HOME holds
  const auth = access?.authFiles ? (authFile ? ['--src-authfile', authFile] : ['--src-no-creds']) : [];
  return { args: [`--src-tls-verify=${tlsVerify}`, ...auth], key: `tls=${tlsVerify} auth=${authFile ?? (access?.authFiles ? '-' : 'default')}`, registry, authFile, authFiles: access?.authFiles };
}

export class ImageStore {
  constructor(readonly dir: string) {}

  private refsFile(): string {
    return join(this.dir, 'refs.json');
  }

  private failedFile(): string {
    return join(this.dir, 'failed.json');
  }

  /** Throws the remembered failure of `ref` on this route while its retry wait lasts. */
  private throwIfFailedLately(ref: string, via: string): void {
    const f = (readJsonFile<Record<string, FailedPull>>(this.failedFile()) ?? {})[ref];
    const now = Date.now();
    if (f?.route === via && now < f.retryAt) throw new ImageError(`${f.message} (pulled again in ${Math.ceil((f.retryAt - now) / 1000)} s at the earliest)`);
  }

  /** Remembers (message) or forgets (undefined) the last failed pull of `ref`; under the store's lock. */
  private rememberPull(ref: string, via: string, message?: string): void {
    const all = readJsonFile<Record<string, FailedPull>>(this.failedFile()) ?? {};
    const { [ref]: last, ...rest } = all;
    if (message === undefined && !last) return;
    const now = Date.now();
    const failures = last && now - last.retryAt < RETRY_FORGET_MS ? last.failures + 1 : 1;
    const next = message === undefined ? rest : { ...rest, [ref]: { message, failures, at: now, retryAt: now + Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1)), route: via } };
    writeFileAtomic(this.failedFile(), JSON.stringify(next, null, 2), 0o644);
  }

  list(): ImageRecord[] {
    return Object.values(readJsonFile<Record<string, ImageRecord>>(this.refsFile()) ?? {});
  }

  private record(ref: string): ImageRecord | undefined {
    const r = (readJsonFile<Record<string, ImageRecord>>(this.refsFile()) ?? {})[ref];
    return r !== undefined && existsSync(this.rootfsDir(r.digest)) ? r : undefined;
  }

  rootfsDir(digest: string): string {
    return join(this.dir, 'rootfs', digest.replace(/^sha256:/, ''));
  }

  /**
   * The image of `ref`, pulled and unpacked unless the store has it; one puller at a time. `access`:
   * the service's credentials and plain-HTTP registries; an image in the store is served to every
   * service of the home, as a Docker daemon's images are to all its users.
   */
  async get(ref: string, access?: RegistryAccess): Promise<UnpackedImage> {
    checkReference(ref);
    const cached = this.record(ref);
    if (cached) return this.unpacked(cached);
    const via = route(ref, access);
    this.throwIfFailedLately(ref, via.key);
    const release = await this.lock();
    try {
      const again = this.record(ref); // pulled by whoever held the lock before us
      if (again) return this.unpacked(again);
      this.throwIfFailedLately(ref, via.key); // failed for whoever held the lock before us
      try {
        const pulled = await this.pull(ref, via);
        this.rememberPull(ref, via.key);
        return this.unpacked(pulled);
      } catch (e) {
        if (e instanceof ImageError) this.rememberPull(ref, via.key, e.message);
        throw e;
      }
    } finally {
      release();
    }
  }

  private unpacked(r: ImageRecord): UnpackedImage {
    const bundle = this.rootfsDir(r.digest);
    const spec = readJsonFile<{ process?: { env?: string[]; cwd?: string } }>(join(bundle, 'config.json'));
    return { ...r, rootfs: join(bundle, 'rootfs'), config: { env: spec?.process?.env ?? [], cwd: spec?.process?.cwd || '/' } };
  }

  private async pull(ref: string, via: PullRoute): Promise<ImageRecord> {
    const layout = join(this.dir, 'oci');
    const tmpTag = `pull-${randomUUID()}`;
    const digestFile = join(this.dir, `${tmpTag}.digest`);
    try {
      await run('skopeo', ['copy', '--quiet', ...via.args, '--digestfile', digestFile, dockerUrl(ref), `oci:${layout}:${tmpTag}`], { timeout: 600_000 });
    } catch (e) {
      throw new ImageError(`image ${ref} cannot be pulled: ${pullProblem(toolMessage(e), via)}`);
    }
    try {
      const digest = readFileSync(digestFile, 'utf8').trim();
      const hex = digest.replace(/^sha256:/, '');
      const bundle = this.rootfsDir(digest);
      if (!existsSync(bundle)) {
        const partial = `${bundle}.partial`;
        rmSync(partial, { recursive: true, force: true });
        await run('umoci', ['unpack', '--image', `${layout}:${tmpTag}`, partial], { timeout: 600_000 }).catch((e: unknown) => {
          throw new ImageError(`image ${ref} cannot be unpacked: ${toolMessage(e)}`);
        });
        renameSync(partial, bundle);
      }
      await run('umoci', ['tag', '--image', `${layout}:${tmpTag}`, hex]);
      const record: ImageRecord = { ref, digest, size: treeSize(join(bundle, 'rootfs')), pulledAt: new Date().toISOString() };
      const refs = readJsonFile<Record<string, ImageRecord>>(this.refsFile()) ?? {};
      writeFileAtomic(this.refsFile(), JSON.stringify({ ...refs, [ref]: record }, null, 2), 0o644);
      return record;
    } finally {
      rmSync(digestFile, { force: true });
      await run('umoci', ['rm', '--image', `${layout}:${tmpTag}`]).catch(() => undefined);
    }
  }

  /**
   * Forgets every image no container uses (`inUse`: digests and references), frees its rootfs and,
   * through umoci gc, its blobs. Returns the records removed.
   */
  async prune(inUse: ReadonlySet<string>): Promise<ImageRecord[]> {
    const release = await this.lock();
    try {
      const refs = readJsonFile<Record<string, ImageRecord>>(this.refsFile()) ?? {};
      const used = (r: ImageRecord) => inUse.has(r.digest) || inUse.has(r.ref);
      const keep = Object.fromEntries(Object.entries(refs).filter(([, r]) => used(r)));
      const removed = Object.values(refs).filter((r) => !used(r));
      writeFileAtomic(this.refsFile(), JSON.stringify(keep, null, 2), 0o644);
      const kept = new Set(Object.values(keep).map((r) => r.digest.replace(/^sha256:/, '')));
      const layout = join(this.dir, 'oci');
      for (const hex of ls(join(this.dir, 'rootfs'))) {
        if (kept.has(hex)) continue;
        rmSync(join(this.dir, 'rootfs', hex), { recursive: true, force: true });
        await run('umoci', ['rm', '--image', `${layout}:${hex}`]).catch(() => undefined);
      }
      if (existsSync(layout)) await run('umoci', ['gc', '--layout', layout]);
      return removed;
    } finally {
      release();
    }
  }

  /** Holds the store's lock (a directory with the holder's pid); a dead holder's lock is taken over. */
  private async lock(): Promise<() => void> {
    const dir = join(this.dir, 'lock');
    mkdirSync(this.dir, { recursive: true });
    const deadline = Date.now() + 15 * 60_000;
    for (;;) {
      try {
        mkdirSync(dir);
        writeFileSync(join(dir, 'pid'), String(process.pid));
        return () => rmSync(dir, { recursive: true, force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = Number(readFileSafe(join(dir, 'pid')));
      // a dead holder, or one that died between taking the lock and writing its pid
      if (holder ? !pidAlive(holder) : Date.now() - mtimeMs(dir) > 5000) rmSync(dir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new ImageError(`the image store ${this.dir} stayed locked by pid ${holder}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Date.now();
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function ls(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => /^[a-f0-9]{64}$/.test(n));
  } catch {
    return [];
  }
}

/** The last line a tool printed (skopeo: `level=fatal msg="…"`), without its log decoration. */
function toolMessage(e: unknown): string {
  const err = e as { stderr?: string; message: string };
  const line = (err.stderr ?? '').trim().split('\n').pop() || err.message;
  const msg = /msg="(.*)"$/.exec(line)?.[1]?.replace(/\\"/g, '"') ?? line;
  // `initializing source docker://x: reading manifest 1 in x: manifest unknown: manifest unknown`
  return msg.replace(/^initializing source \S+: /, '').replace(/(.+): \1$/, '$1');
}

/**
 * skopeo's reason, with what the operator can do about the two causes svc's settings decide: the
 * credentials (named by their file, never shown) and a registry that speaks plain HTTP.
 */
function pullProblem(msg: string, via: PullRoute): string {
  if (/server gave HTTP response to HTTPS client/.test(msg)) {
    return `registry ${via.registry} speaks plain HTTP, not HTTPS; if you trust it, install the service with --insecure-registry ${via.registry} (${msg})`;
  }
  const creds = via.authFile ? `with the credentials of ${via.authFile}` : via.authFiles ? `anonymously (no auth file: none of ${via.authFiles.join(', ')} exists)` : "with skopeo's default auth files";
  if (/unauthorized|authentication required|\b401\b/i.test(msg)) return `authentication to registry ${via.registry} failed ${creds}: ${msg}`;
  // Docker Hub's answer for a private repository and for one that does not exist alike
  if (/denied/i.test(msg)) return `registry ${via.registry} denied access ${creds} (wrong credentials, or no such repository): ${msg}`;
  return msg;
}

function treeSize(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = lstatSync(p);
      total += st.size;
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return total;
}

export interface ImageUse {
  readonly ref: string;
  /** Unknown while the container's image is being pulled. */
  readonly digest?: string;
  /** Service folder name. */
  readonly service: string;
  readonly task: string;
}

/**
 * Which containers use which image digest, from the container.json each container's folder holds
 * ($SVC_HOME/<service>/agents/<agent>/executors/<pod>/containers/<task>/) until it is deleted.
 */
export function imageUses(svcHome: string): ImageUse[] {
  const dirs = (d: string) => {
    try {
      return readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      return [];
    }
  };
  const uses: ImageUse[] = [];
  for (const service of dirs(svcHome).filter((n) => !n.startsWith('.'))) {
    for (const agent of dirs(join(svcHome, service, 'agents'))) {
      const executors = join(svcHome, service, 'agents', agent, 'executors');
      for (const pod of dirs(executors)) {
        for (const task of dirs(join(executors, pod, 'containers'))) {
          const used = readJsonFile<{ ref?: string; digest?: string }>(join(executors, pod, 'containers', task, 'container.json'));
          if (used?.ref) uses.push({ ref: used.ref, ...(used.digest ? { digest: used.digest } : {}), service, task });
        }
      }
    }
  }
  return uses;
}

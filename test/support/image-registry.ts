// A real image registry for the container tests and bench, offline: Debian's `docker-registry` on an
// address of this machine (plain HTTP; loopback unless told), optionally behind htpasswd basic
// auth, and the small test image (a static busybox plus this machine's memcached and the libraries
// ldd lists, built by test/fixtures/images/build-memcached.sh) pushed to it with skopeo.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { freePort } from '../../src/launcher/scheduler-env.js';

export { freePort };

/** The repository's image fixtures, from this module's folder (test/support) or the bench's bundle (dist/). */
const FIXTURES = ['../fixtures/images', '../test/fixtures/images'].map((p) => resolve(import.meta.dirname, p)).find((d) => existsSync(join(d, 'build-memcached.sh'))) ?? '';

/** What building, serving and running the test image needs on PATH. */
export const IMAGE_TOOLS = ['runc', 'skopeo', 'umoci', 'docker-registry', 'memcached', 'busybox'] as const;

export const onPath = (tool: string): boolean =>
  [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/bin'].some((d) => {
    try {
      accessSync(join(d, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** The tools of IMAGE_TOOLS missing here, and `root` when not running as root (runc, mounts). */
export const missingImageTools = (): string[] => [...IMAGE_TOOLS.filter((t) => !onPath(t)), ...(process.getuid?.() === 0 ? [] : ['root'])];

export const INSTALL_HINT = 'apt-get install runc skopeo umoci docker-registry busybox-static memcached; run as root';

export interface RegistryUser {
  readonly name: string;
  readonly password: string;
}

export interface RegistryOptions {
  /** Its own folder: config, storage and `registry.log` (kept across a stop and a start). */
  readonly dir: string;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Default: a free one; given, to bring a stopped registry back at the same address. */
  readonly port?: number;
  /** Basic auth with one user (htpasswd, bcrypt). */
  readonly user?: RegistryUser;
}

export interface Registry {
  /** `host:port`, as image references name it. */
  readonly address: string;
  /** Its access log. */
  readonly log: string;
  /** How many lines of its log match `pattern` (e.g. the GETs of a repository's blobs). */
  requests(pattern: RegExp): number;
  /** Stops it and resolves once it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** bcrypt, as htpasswd wants it (no htpasswd binary here; python's crypt has blowfish); cost 16: a test's hash. */
function bcrypt(password: string): string {
  const py = 'import crypt,sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))';
  return execFileSync('python3', ['-W', 'ignore', '-c', py], { input: password, encoding: 'utf8' }).trim();
}

/** Starts the registry; resolves once `/v2/` answers (401 counts: it is up behind auth). */
export async function startRegistry(o: RegistryOptions): Promise<Registry> {
  const host = o.host ?? '127.0.0.1';
  const address = `${host}:${o.port ?? (await freePort(host))}`;
  mkdirSync(o.dir, { recursive: true });
  const auth = o.user ? `auth:\n  htpasswd:\n    realm: svc-tests\n    path: ${join(o.dir, 'htpasswd')}\n` : '';
  if (o.user) writeFileSync(join(o.dir, 'htpasswd'), `${o.user.name}:${bcrypt(o.user.password)}\n`);
  const config = join(o.dir, 'registry.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${join(o.dir, 'registry-data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${address}\n${auth}`);
  const log = join(o.dir, 'registry.log');
  const fd = openSync(log, 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let failed: Error | undefined;
  const exited = new Promise<void>((done) => {
    child.once('exit', () => done());
    child.once('error', (e) => {
      failed = e;
      done(); // never started: no exit to wait for
    });
  });
  const registry: Registry = {
    address,
    log,
    requests: (pattern) => readFileSync(log, 'utf8').split('\n').filter((l) => pattern.test(l)).length,
    stop: async (signal = 'SIGTERM') => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = (await fetch(`http://${address}/v2/`).catch(() => undefined))?.status;
    if (status === 200 || status === 401) return registry;
    if (failed || child.exitCode !== null || Date.now() > deadline) {
      await registry.stop('SIGKILL');
      throw new Error(`docker-registry did not answer on ${address}: ${failed?.message ?? readFileSync(log, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Builds the test image (≈ 10 MB) into the OCI layout `layout` under `tag`, `marker` in /etc/svc-image-marker. */
export function buildTestImage(layout: string, tag: string, marker: string): void {
  execFileSync(join(FIXTURES, 'build-memcached.sh'), [layout, tag, marker], { stdio: 'pipe' });
}

/** Copies `layout:tag` to `reference` (registry/repo:tag) over plain HTTP, as `user` when given. */
export function pushImage(layout: string, tag: string, reference: string, user?: RegistryUser): void {
  const creds = user ? ['--dest-creds', `${user.name}:${user.password}`] : [];
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...creds, `oci:${layout}:${tag}`, `docker://${reference}`], { stdio: 'pipe' });
}

/** The test image built into `layout` and pushed to `registry` as memcached:<tag>. */
export function buildAndPushImage(layout: string, registry: string, tag: string, marker: string): void {
  buildTestImage(layout, tag, marker);
  pushImage(layout, tag, `${registry}/memcached:${tag}`);
}

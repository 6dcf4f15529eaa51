// A real registry for tests, offline: Debian's docker-registry on an address of this machine (plain
// HTTP), optionally behind htpasswd basic auth, and the test image built by
// test/fixtures/images/build-memcached.sh pushed to it with skopeo.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/images');

export interface Registry {
  /** `host:port`, as image references name it. */
  readonly address: string;
  readonly log: string;
  /** How many requests of `method path-prefix` it logged (e.g. `GET /v2/memcached/manifests/1`). */
  requests(pattern: RegExp): number;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Its own folder: config, storage, log. */
  readonly dir: string;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** Basic auth with one user (the password is hashed with bcrypt for htpasswd). */
  readonly user?: { readonly name: string; readonly password: string };
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, host, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

/** bcrypt, as htpasswd wants it (no htpasswd binary here; python's crypt has blowfish); cost 4: a test's hash. */
function bcrypt(password: string): string {
  const py = 'import crypt,sys; print(crypt.crypt(sys.stdin.read(), crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))';
  return execFileSync('python3', ['-W', 'ignore', '-c', py], { input: password, encoding: 'utf8' }).trim();
}

/** Starts the registry and resolves once `/v2/` answers (401 counts: it is up). */
export async function startRegistry(o: RegistryOptions): Promise<Registry> {
  const host = o.host ?? '127.0.0.1';
  const address = `${host}:${await freePort(host)}`;
  mkdirSync(o.dir, { recursive: true });
  const auth = o.user ? `auth:\n  htpasswd:\n    realm: svc-tests\n    path: ${join(o.dir, 'htpasswd')}\n` : '';
  if (o.user) writeFileSync(join(o.dir, 'htpasswd'), `${o.user.name}:${bcrypt(o.user.password)}\n`);
  const config = join(o.dir, 'registry.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${join(o.dir, 'data')}\nhttp:\n  addr: ${address}\n${auth}`);
  const log = join(o.dir, 'registry.log');
  const fd = openSync(log, 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = (await fetch(`http://${address}/v2/`).catch(() => undefined))?.status;
    if (status === 200 || status === 401) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on ${address}: ${readFileSync(log, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    address,
    log,
    requests: (pattern) => readFileSync(log, 'utf8').split('\n').filter((l) => pattern.test(l)).length,
    stop: () =>
      new Promise<void>((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGKILL');
      }),
  };
}

/** Builds the test image (busybox + memcached, `marker` in /etc/svc-image-marker) into the OCI layout `layout` under `tag`. */
export function buildTestImage(layout: string, tag: string, marker: string): void {
  execFileSync(join(FIXTURES, 'build-memcached.sh'), [layout, tag, marker], { stdio: 'pipe' });
}

/** Pushes `layout:tag` to `reference` over plain HTTP, with the registry user's credentials when given. */
export function pushImage(layout: string, tag: string, reference: string, user?: RegistryOptions['user']): void {
  const creds = user ? ['--dest-creds', `${user.name}:${user.password}`] : [];
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...creds, `oci:${layout}:${tag}`, `docker://${reference}`], { stdio: 'pipe' });
}

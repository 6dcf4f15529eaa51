// A real image registry on loopback (Debian's `docker-registry`) and the small test image (a static
// busybox plus this machine's memcached and the libraries ldd lists), for the container tests and
// the container bench: nothing reaches the internet.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, openSync, closeSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

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

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Registry {
  /** host:port on loopback */
  readonly address: string;
  readonly process: ChildProcess;
  /** Stops it and resolves once it exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `docker-registry` on 127.0.0.1 (a free port unless given) storing under `dir`, its access
 * log appended to `log`; resolves once it answers /v2/.
 */
export async function startRegistry(dir: string, log: string, port?: number): Promise<Registry> {
  const address = `127.0.0.1:${port ?? (await freePort())}`;
  const config = join(dir, 'registry.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'registry-data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${address}\n`);
  const fd = openSync(log, 'a');
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let failed: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (e) => {
      failed = e;
      resolve(); // never started: no exit to wait for
    });
  });
  const registry: Registry = {
    address,
    process: child,
    stop: async (signal = 'SIGTERM') => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  const deadline = Date.now() + 20_000;
  while (!(await fetch(`http://${address}/v2/`).catch(() => undefined))?.ok) {
    if (failed || child.exitCode !== null || Date.now() > deadline) {
      await registry.stop('SIGKILL');
      throw new Error(`docker-registry did not answer on ${address}: ${failed?.message ?? `see ${log}`}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return registry;
}

/**
 * Builds the test image (≈ 10 MB) into the OCI layout `layout` under `tag`, with `marker` in
 * /etc/svc-image-marker, and pushes it to `registry` as memcached:<tag>. `root` is the repository.
 */
export function buildAndPushImage(root: string, layout: string, registry: string, tag: string, marker: string): void {
  execFileSync(join(root, 'test/fixtures/images/build-memcached.sh'), [layout, tag, marker], { stdio: 'pipe' });
  pushImage(layout, tag, registry, `memcached:${tag}`);
}

/** Copies `layout`:`tag` to `registry`/`repoTag` over plain HTTP. */
export function pushImage(layout: string, tag: string, registry: string, repoTag: string): void {
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${layout}:${tag}`, `docker://${registry}/${repoTag}`], { stdio: 'pipe' });
}

// Whether this machine can run container images: runc, skopeo and umoci on PATH, and root (runc
// creates namespaces, cgroups and mounts; rootless containers are not supported). And whether it
// can give a host process its own /dev/shm and host volumes: unshare and mount, as root.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const CONTAINER_TOOLS = ['runc', 'skopeo', 'umoci'] as const;

export const onPath = (tool: string): boolean =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** Why this machine cannot run containers, or undefined when it can. */
export function containerRuntimeMissing(): string | undefined {
  const missing = CONTAINER_TOOLS.filter((t) => !onPath(t));
  if (missing.length > 0) return `container images need ${missing.join(', ')} on PATH (Debian: apt-get install ${missing.join(' ')})`;
  if (process.getuid?.() !== 0) return `container images need root (svc runs as uid ${process.getuid?.()}); rootless containers are not supported`;
  return undefined;
}

/** Why this machine cannot isolate a host process's /dev/shm and host volumes, or undefined when it can. */
export function hostIsolationMissing(): string | undefined {
  const missing = ['unshare', 'mount'].filter((t) => !onPath(t));
  if (missing.length > 0) return `a private /dev/shm and host volumes need ${missing.join(', ')} on PATH (Debian: util-linux, mount)`;
  if (process.getuid?.() !== 0) return `a private /dev/shm and host volumes need root (svc runs as uid ${process.getuid?.()})`;
  return undefined;
}

// Pod settings that the original's runtime applied to tasks without an image too (its container
// used the host's filesystem): a private /dev/shm of `shm-size` MB and `host-volumes` bind-mounted
// into the sandbox. A host process gets them in its own mount and IPC namespaces (unshare), so the
// mounts exist only for the task and vanish with it: nothing to unmount, nothing seen by the host.
import { existsSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import type { HostIsolation } from '../image-launch.js';
import { ContainerError } from './container.js';

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The command line running `cmd` with `shell` in new mount and IPC namespaces, after mounting the
 * private /dev/shm and the host volumes (each at `<sandbox>/<container-path>`).
 */
export function isolatedCommand(shell: string, cmd: string, sandbox: string, iso: HostIsolation): { file: string; args: string[] } {
  const setup: string[] = [];
  if (iso.shmSizeMb !== undefined) setup.push(`mount -t tmpfs -o size=${Math.max(1, Math.round(iso.shmSizeMb))}m,mode=1777,nosuid,nodev shm /dev/shm`);
  for (const v of iso.hostVolumes) {
    if (isAbsolute(v.containerPath) || normalize(v.containerPath).startsWith('..')) {
      throw new ContainerError(`host-volumes: container-path ${v.containerPath} must be inside the sandbox for a task without image:`);
    }
    if (!existsSync(v.hostPath)) throw new ContainerError(`host-volumes: ${v.hostPath} does not exist on this machine`);
    const at = join(sandbox, v.containerPath);
    mkdirSync(at, { recursive: true });
    setup.push(`mount --bind ${v.mode === 'RO' ? '-o ro ' : ''}${quote(v.hostPath)} ${quote(at)}`);
  }
  return { file: 'unshare', args: ['--mount', '--ipc', '--propagation', 'private', '--', '/bin/sh', '-c', `${setup.join(' && ')} && exec "$0" -c "$1"`, shell, cmd] };
}

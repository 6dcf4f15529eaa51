// `svc task exec` into a container: a task's container folder (<executor>/containers/<task>/, beside
// its sandbox and out of the container's reach) holds container.json naming its runc state folder
// and container id while it runs; a command run "in the task" then goes through `runc exec`, so it
// sees the image's filesystem, env and user, not the host's.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The container facts of a task's container folder, from its sandbox's path. */
export const containerFile = (sandbox: string): string => join(dirname(dirname(sandbox)), 'containers', basename(sandbox), 'container.json');

export interface ContainerFile {
  readonly ref: string;
  /** Known once the image is in the store. */
  readonly digest?: string;
  readonly task: string;
  /** The container id (the task id). */
  readonly id: string;
  readonly runcRoot: string;
}

/**
 * The command line that runs `cmd args` inside the container of the task whose sandbox is
 * `sandbox`, or undefined when the task is a host process (then the caller runs it as it is).
 */
export function containerExecArgv(sandbox: string, cmd: string, args: readonly string[], tty: boolean): { file: string; args: string[] } | undefined {
  let c: Partial<ContainerFile>;
  try {
    c = JSON.parse(readFileSync(containerFile(sandbox), 'utf8')) as Partial<ContainerFile>;
  } catch {
    return undefined;
  }
  if (typeof c.runcRoot !== 'string' || typeof c.id !== 'string') return undefined;
  return { file: 'runc', args: ['--root', c.runcRoot, 'exec', ...(tty ? ['-t'] : []), c.id, cmd, ...args] };
}

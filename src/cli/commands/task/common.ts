// What the task verbs share: unknown tasks answered with the tasks there are, and where
// `svc task exec` and `svc task log` run, decided explicitly: a client given --url (or SVC_URL) always goes through the scheduler's API; otherwise the service installed in $SVC_HOME is
// reached through its engine's own files when that engine runs tasks on this machine (so the
// operator's process never takes an environment from a server), and through its API when not.
import type { SvcClient } from '../../../client/index.js';
import type { ExecSession, LocalTasks } from '../../../engine/types.js';
import { selectHome, type CliDeps, type GlobalOptions } from '../../deps.js';
import { failed, type CliError } from '../../errors.js';
import { listOrNone, on404 } from '../shared.js';

export type TaskTarget = { readonly local: LocalTasks } | { readonly remote: true };

export async function taskTarget(deps: CliDeps, g: GlobalOptions): Promise<TaskTarget> {
  if (g.url ?? deps.env.SVC_URL) return { remote: true };
  const home = await selectHome(deps, g);
  const { localTasks } = await import('../../../engine/registry.js');
  const local = await localTasks(home.engine(), home.root);
  return local ? { local } : { remote: true };
}

/** Runs `work`; an unknown task is answered with the tasks there are. */
export const orTasks = <T>(c: SvcClient, name: string, work: () => Promise<T>): Promise<T> =>
  on404(work, async () => {
    const { body } = await c.podStatus();
    const names = (body.pods ?? []).flatMap((p) => p.instances.flatMap((i) => i.tasks.map((t) => t.name)));
    return `task "${name}" not found; tasks: ${listOrNone(names)}`;
  });

/** An unknown task, answered with the tasks there are here. */
export const notHere = (name: string, local: LocalTasks): CliError => failed(`task "${name}" not found; tasks: ${listOrNone(local.names())}`);

/** Signals that end this process: the exec it started must not outlive it. */
const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

/**
 * Waits for a local exec, its output passed on; a signal that ends this process ends the exec (its
 * whole process group). With a TTY, Ctrl-C belongs to the command, as in a terminal of its own.
 */
export async function attached(session: ExecSession, deps: CliDeps, tty: boolean): Promise<number> {
  session.stdout?.on('data', (d: Buffer) => deps.io.out(d.toString('utf8')));
  session.stderr?.on('data', (d: Buffer) => deps.io.err(d.toString('utf8')));
  const drained = Promise.all([session.stdout, session.stderr].map((p) => (p ? new Promise((r) => p.once('close', r)) : undefined)));
  const end = () => session.kill();
  const ignore = () => {};
  for (const sig of ENDING_SIGNALS) process.on(sig, end);
  process.on('SIGINT', tty ? ignore : end);
  try {
    const code = await session.exit;
    await drained;
    return code;
  } finally {
    for (const sig of ENDING_SIGNALS) process.off(sig, end);
    process.off('SIGINT', tty ? ignore : end);
  }
}

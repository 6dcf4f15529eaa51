// Where `svc task exec` and `svc task log` run, decided explicitly: a client given --url (or
// SVC_URL) always goes through the scheduler's API; otherwise the service installed in $SVC_HOME is
// reached through its engine's own files when that engine runs tasks on this machine (so the
// operator's process never takes an environment from a server), and through its API when not.
import type { LocalTasks } from '../../engine/types.js';
import { selectHome, type CliDeps, type GlobalOptions } from '../deps.js';

export type TaskTarget = { readonly local: LocalTasks } | { readonly remote: true };

export async function taskTarget(deps: CliDeps, g: GlobalOptions): Promise<TaskTarget> {
  if (g.url ?? deps.env.SVC_URL) return { remote: true };
  const home = await selectHome(deps, g);
  const { localTasks } = await import('../../engine/registry.js');
  const local = await localTasks(home.engine(), home.root);
  return local ? { local } : { remote: true };
}

/** Signals that end this process: the exec it started must not outlive it. */
export const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

// The environment every task starts from on the local engine, before its spec's env and the SDK's
// variables (MESOS_SANDBOX, PORT_*, ...). Nothing of the installing shell leaks in (npx puts its
// node_modules/.bin folders on PATH, a shell exports its secrets): tasks see the same env whoever
// installed them. HOME is the task's sandbox, set per task by the engine (the spec may override).
import { dirname } from 'node:path';

/** The system's usual PATH, as Mesos gives a command task that sets none. */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** PATH (the system's, plus the folder of the node that runs svc so `node` resolves) and LANG. */
export function taskBaseEnv(nodePath: string): Record<string, string> {
  const nodeDir = dirname(nodePath);
  const path = SYSTEM_PATH.split(':').includes(nodeDir) ? SYSTEM_PATH : `${SYSTEM_PATH}:${nodeDir}`;
  return { PATH: path, LANG: 'C.UTF-8' };
}

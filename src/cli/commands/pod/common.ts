// What the pod verbs share: an unknown pod answered with the pods there are, an unknown task with
// where to find them.
import type { SvcClient } from '../../../client/index.js';
import type { GlobalOptions } from '../../deps.js';
import { listOrNone, on404 } from '../shared.js';

export interface PodTarget {
  globals: GlobalOptions;
  pod: string;
}

/** Runs `work`; a 404 says which pod (or which of `tasks`) does not exist, and what does, not the wire. */
export const orPods = <T>(c: SvcClient, name: string, work: () => Promise<T>, tasks: readonly string[] = []): Promise<T> =>
  on404(work, async () => {
    const pods = (await c.pods()).body;
    if (pods.includes(name) && tasks.length > 0) return `${name} has no task ${tasks.map((t) => `"${t}"`).join(', ')} (see: svc pod status ${name})`;
    return `pod "${name}" not found; pods: ${listOrNone(pods)}`;
  });

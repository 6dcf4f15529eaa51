// svc pod restart <pod>: kill a pod instance's tasks and relaunch them in place.
import type { Command } from 'commander';
import type { Response } from '../../../client/index.js';
import type { CliDeps } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';
import { orPods, type PodTarget } from './common.js';

export function register(pod: Command, deps: CliDeps): void {
  examples(
    pod
      .command('restart')
      .description("kill a pod instance's tasks and relaunch them in place (same agent, volumes kept)")
      .argument('<pod>', 'pod instance, e.g. hello-0'),
    'svc pod restart hello-0',
  ).action(async (name: string, _o: unknown, cmd: Command) => deps.io.out(apiJson(await run({ globals: globalsOf(cmd), pod: name }, deps))));
}

export async function run(t: PodTarget, deps: CliDeps): Promise<Response<{ pod: string; tasks: string[] }>> {
  const c = await deps.client(t.globals);
  return orPods(c, t.pod, () => c.podAction(t.pod, 'restart'));
}

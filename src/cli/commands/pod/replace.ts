// svc pod replace <pod>: destroy a pod instance's volumes and reservations and launch it afresh; asks first.
import type { Command } from 'commander';
import type { Response } from '../../../client/index.js';
import type { CliDeps } from '../../deps.js';
import { failed, usageError } from '../../errors.js';
import { apiJson, examples, globalsOf } from '../shared.js';
import { orPods, type PodTarget } from './common.js';

export function register(pod: Command, deps: CliDeps): void {
  examples(
    pod
      .command('replace')
      .description('destroy a pod instance (volumes and reservations) and launch it on fresh resources')
      .argument('<pod>', 'pod instance, e.g. hello-0')
      .option('-y, --yes', 'do not ask for confirmation'),
    'svc pod replace hello-0          # asks first',
    'svc pod replace hello-0 --yes',
  ).action(async (name: string, o: { yes?: boolean }, cmd: Command) => deps.io.out(apiJson(await run({ globals: globalsOf(cmd), pod: name, yes: o.yes }, deps))));
}

export async function run(t: PodTarget & { yes?: boolean }, deps: CliDeps): Promise<Response<{ pod: string; tasks: string[] }>> {
  if (!t.yes) {
    if (!deps.io.canPrompt) throw usageError(`refusing to replace ${t.pod} (its data is destroyed) without --yes when not running interactively`);
    if (!(await deps.prompter.confirm(`Replace ${t.pod}? Its volumes are destroyed.`))) throw failed(`cancelled; ${t.pod} was not replaced`);
  }
  const c = await deps.client(t.globals);
  return orPods(c, t.pod, () => c.podAction(t.pod, 'replace'));
}

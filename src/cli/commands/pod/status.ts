// svc pod status [pod]: every pod instance with its tasks and their states, or one pod instance.
import type { Command } from 'commander';
import type { PodInstanceStatusJson, PodStatusJson, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { renderPodInstanceTree, renderPodTree } from '../../render/tree.js';
import { apiJson, examples, globalsOf } from '../shared.js';
import { taskNotes } from '../../task-health.js';
import { orPods } from './common.js';
import { watchFrames } from '../plan/show.js';

export type PodStatus = { one: true; res: Response<PodInstanceStatusJson> } | { one: false; res: Response<PodStatusJson> };

export function register(pod: Command, deps: CliDeps): void {
  examples(
    pod
      .command('status')
      .description('every pod instance with its tasks and their states, or one pod instance')
      .argument('[pod]', 'pod instance, e.g. hello-0')
      .option('--json', "print the API's JSON")
      .option('-w, --watch', 'redraw the tree every second, until Ctrl-C'),
    'svc pod status',
    'svc pod status --watch',
    'svc pod status hello-0 --json',
  ).action(async (name: string | undefined, o: { json?: boolean; watch?: boolean }, cmd: Command) => {
    const colors = await deps.io.colors();
    const frames = watchFrames(deps.io.isStdoutTTY); // as plan show --watch draws
    for (;;) {
      const s = await run({ globals: globalsOf(cmd), pod: name }, deps);
      // with svc's scheduler: why a failing task failed, and how many times in a row
      const notes = o.json ? undefined : await taskNotes(await deps.client(globalsOf(cmd)));
      const out = o.json ? apiJson(s.res) : s.one ? renderPodInstanceTree(s.res.body, colors, notes) : renderPodTree(s.res.body, colors, notes);
      deps.io.out(o.watch ? frames(out) : out);
      if (!o.watch) return;
      await new Promise((r) => setTimeout(r, 1000)); // pods have no end state: until interrupted
    }
  });
}

export async function run(opts: { globals: GlobalOptions; pod?: string }, deps: CliDeps): Promise<PodStatus> {
  const c = await deps.client(opts.globals);
  const name = opts.pod;
  if (name) return { one: true, res: await orPods(c, name, () => c.podInstanceStatus(name)) };
  return { one: false, res: await c.podStatus() };
}

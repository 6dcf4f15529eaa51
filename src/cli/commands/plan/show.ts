// svc plan show <plan> [--watch]: a plan as a tree of phases and steps.
import type { Command } from 'commander';
import type { Response } from '../../../client/index.js';
import type { PlanJson } from '../../../plan/json.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { fetchPlacementNotes } from '../../placement-note.js';
import { renderPlanTree } from '../../render/tree.js';
import { apiJson, examples, globalsOf } from '../shared.js';
import { orPlans } from './common.js';

export function register(plan: Command, deps: CliDeps): void {
  examples(
    plan
      .command('show')
      .alias('status')
      .description('a plan as a tree of phases and steps')
      .argument('<plan>', 'plan name, e.g. deploy')
      .option('--json', "print the API's JSON")
      .option('-w, --watch', 'redraw the tree until the plan is complete'),
    'svc plan show deploy',
    'svc plan show deploy --json',
    'svc plan show flush-all-serial --watch',
  ).action(async (name: string, o: { json?: boolean; watch?: boolean }, cmd: Command) => {
    const g = globalsOf(cmd);
    const colors = await deps.io.colors();
    const frames = watchFrames(deps.io.isStdoutTTY);
    for (;;) {
      const res = await run({ globals: g, plan: name }, deps);
      const out = o.json ? apiJson(res) : renderPlanTree(name, res.body, colors, await notesOf(g, res.body, deps));
      deps.io.out(o.watch ? frames(out) : out);
      if (!o.watch || res.body.status === 'COMPLETE' || res.body.status === 'ERROR') return;
      await new Promise((r) => setTimeout(r, 500));
    }
  });
}

/**
 * What to write for each frame of --watch. On a terminal a frame replaces the previous one in place
 * (cursor up over its lines, clear below), leaving what was on the screen before alone; piped, a
 * frame is written only when it differs from the last.
 */
export function watchFrames(tty: boolean): (frame: string) => string {
  let last: string | undefined;
  return (frame) => {
    const previous = last;
    last = frame;
    if (!tty) return frame === previous ? '' : frame;
    const up = previous === undefined ? 0 : previous.split('\n').length - 1;
    return `${up > 0 ? `\x1b[${up}F\x1b[0J` : ''}${frame}`;
  };
}

/** Why steps of the plan are not placed yet, when some wait for resources. */
async function notesOf(g: GlobalOptions, plan: PlanJson, deps: CliDeps): Promise<Map<string, string[]>> {
  if (!plan.phases.some((ph) => ph.steps.some((st) => st.status === 'PENDING' || st.status === 'PREPARED'))) return new Map();
  return fetchPlacementNotes(await deps.client(g), plan);
}

export async function run(opts: { globals: GlobalOptions; plan: string }, deps: CliDeps): Promise<Response<PlanJson>> {
  const c = await deps.client(opts.globals);
  return orPlans(c, opts.plan, () => c.plan(opts.plan));
}

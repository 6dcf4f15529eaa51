// svc plan resume: resume a paused plan or phase (and release the next canary step).
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';
import { outcome, planCommand, type PlanTarget } from './common.js';

export function register(plan: Command, deps: CliDeps): void {
  examples(
    plan
      .command('resume')
      .alias('continue')
      .description('resume a paused plan or phase (and release the next canary step)')
      .argument('<plan>', 'plan name')
      .argument('[phase]', 'phase name or id'),
    'svc plan resume deploy',
    'svc plan resume deploy hello      # the next step of a canary phase',
  ).action(async (plan: string, phase: string | undefined, _o: unknown, cmd: Command) => {
    const t: PlanTarget = { globals: globalsOf(cmd), plan, phase };
    deps.io.out(outcome(t, 'resumed', await run(t, deps)));
  });
}

export function run(t: PlanTarget, deps: CliDeps): Promise<{ accepted: boolean }> {
  return planCommand(deps, t, 'continue');
}

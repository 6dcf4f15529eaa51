// svc plan force-complete: mark one step COMPLETE without running it.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';
import { outcome, planCommand, type PlanTarget } from './common.js';

export function register(plan: Command, deps: CliDeps): void {
  examples(
    plan
      .command('force-complete')
      .alias('force')
      .description('mark one step COMPLETE without running it')
      .argument('<plan>', 'plan name')
      .argument('<phase>', 'phase name or id')
      .argument('<step>', 'step name or id'),
    'svc plan force-complete deploy hello hello-1:[server]',
  ).action(async (plan: string, phase: string, step: string, _o: unknown, cmd: Command) => {
    const t: PlanTarget = { globals: globalsOf(cmd), plan, phase, step };
    deps.io.out(outcome(t, 'forced to complete', await run(t, deps)));
  });
}

export function run(t: PlanTarget, deps: CliDeps): Promise<{ accepted: boolean }> {
  return planCommand(deps, t, 'forceComplete');
}

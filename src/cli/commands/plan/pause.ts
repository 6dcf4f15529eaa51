// svc plan pause: pause a plan, or one phase: running steps finish, no new ones start.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';
import { outcome, planCommand, type PlanTarget } from './common.js';

export function register(plan: Command, deps: CliDeps): void {
  examples(
    plan
      .command('pause')
      .alias('interrupt')
      .description('pause a plan, or one phase: running steps finish, no new ones start')
      .argument('<plan>', 'plan name')
      .argument('[phase]', 'phase name or id'),
    'svc plan pause deploy',
    'svc plan pause deploy hello',
  ).action(async (plan: string, phase: string | undefined, _o: unknown, cmd: Command) => {
    const t: PlanTarget = { globals: globalsOf(cmd), plan, phase };
    deps.io.out(outcome(t, 'paused', await run(t, deps)));
  });
}

export function run(t: PlanTarget, deps: CliDeps): Promise<{ accepted: boolean }> {
  return planCommand(deps, t, 'interrupt');
}

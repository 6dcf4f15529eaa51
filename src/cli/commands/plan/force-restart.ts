// svc plan force-restart: reset a plan, a phase or one step to PENDING, so it runs again.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { usageError } from '../../errors.js';
import { examples, globalsOf } from '../shared.js';
import { outcome, planCommand, type PlanTarget } from './common.js';

export function register(plan: Command, deps: CliDeps): void {
  examples(
    plan
      .command('force-restart')
      .alias('restart')
      .description('reset a plan, a phase or one step to PENDING, so it runs again')
      .argument('<plan>', 'plan name')
      .argument('[phase]', 'phase name or id')
      .argument('[step]', 'step name or id'),
    'svc plan force-restart deploy',
    'svc plan force-restart deploy hello hello-0:[server]',
  ).action(async (plan: string, phase: string | undefined, step: string | undefined, _o: unknown, cmd: Command) => {
    const t: PlanTarget = { globals: globalsOf(cmd), plan, phase, step };
    deps.io.out(outcome(t, 'restarted', await run(t, deps)));
  });
}

export function run(t: PlanTarget, deps: CliDeps): Promise<{ accepted: boolean }> {
  if (t.step && !t.phase) throw usageError('a step needs its phase');
  return planCommand(deps, t, 'restart');
}

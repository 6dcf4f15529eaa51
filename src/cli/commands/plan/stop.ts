// svc plan stop: interrupt a plan and reset its steps to PENDING.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';
import { outcome, planCommand, type PlanTarget } from './common.js';

export function register(plan: Command, deps: CliDeps): void {
  examples(
    plan
      .command('stop')
      .description('interrupt a plan and reset its steps to PENDING')
      .argument('<plan>', 'plan name'),
    'svc plan stop sidecar',
  ).action(async (plan: string, _o: unknown, cmd: Command) => {
    const t: PlanTarget = { globals: globalsOf(cmd), plan };
    deps.io.out(outcome(t, 'stopped', await run(t, deps)));
  });
}

export function run(t: PlanTarget, deps: CliDeps): Promise<{ accepted: boolean }> {
  return planCommand(deps, t, 'stop');
}

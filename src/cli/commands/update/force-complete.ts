// svc update force-complete <phase> <step>: mark one step of the rollout COMPLETE without running it (plan force-complete of deploy).
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { outcome } from '../plan/common.js';
import { run as planForceComplete } from '../plan/force-complete.js';
import { examples, globalsOf } from '../shared.js';

export function register(update: Command, deps: CliDeps): void {
  examples(
    update
      .command('force-complete')
      .alias('force')
      .description('mark one step of the rollout (the deploy plan) COMPLETE without running it')
      .argument('<phase>', 'phase name or id')
      .argument('<step>', 'step name or id'),
    'svc update force-complete hello hello-1:[server]',
  ).action(async (phase: string, step: string, _o: unknown, cmd: Command) => {
    const t = { globals: globalsOf(cmd), phase, step };
    deps.io.out(outcome({ ...t, plan: 'deploy' }, 'forced to complete', await run(t, deps)));
  });
}

export function run(t: { globals: GlobalOptions; phase: string; step: string }, deps: CliDeps): Promise<{ accepted: boolean }> {
  return planForceComplete({ ...t, plan: 'deploy' }, deps);
}

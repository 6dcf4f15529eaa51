// svc update force-restart [phase [step]]: run the rollout, a phase of it or one step again (plan force-restart of deploy).
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { outcome } from '../plan/common.js';
import { run as planForceRestart } from '../plan/force-restart.js';
import { examples, globalsOf } from '../shared.js';

export interface UpdateStepTarget {
  globals: GlobalOptions;
  phase?: string;
  step?: string;
}

export function register(update: Command, deps: CliDeps): void {
  examples(
    update
      .command('force-restart')
      .alias('restart')
      .description('reset the rollout (the deploy plan), one phase or one step to PENDING, so it runs again')
      .argument('[phase]', 'phase name or id')
      .argument('[step]', 'step name or id'),
    'svc update force-restart',
    'svc update force-restart hello hello-0:[server]',
  ).action(async (phase: string | undefined, step: string | undefined, _o: unknown, cmd: Command) => {
    const t = { globals: globalsOf(cmd), phase, step };
    deps.io.out(outcome({ ...t, plan: 'deploy' }, 'restarted', await run(t, deps)));
  });
}

export function run(t: UpdateStepTarget, deps: CliDeps): Promise<{ accepted: boolean }> {
  return planForceRestart({ ...t, plan: 'deploy' }, deps);
}

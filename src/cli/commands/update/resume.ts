// svc update resume: resume a paused rollout (plan resume of deploy).
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { outcome } from '../plan/common.js';
import { run as planResume } from '../plan/resume.js';
import { examples, globalsOf } from '../shared.js';

export function register(update: Command, deps: CliDeps): void {
  examples(update.command('resume').alias('continue').description('resume a paused rollout (the deploy plan)'), 'svc update resume').action(
    async (_o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      deps.io.out(outcome({ globals: g, plan: 'deploy' }, 'resumed', await run(g, deps)));
    },
  );
}

export function run(g: GlobalOptions, deps: CliDeps): Promise<{ accepted: boolean }> {
  return planResume({ globals: g, plan: 'deploy' }, deps);
}

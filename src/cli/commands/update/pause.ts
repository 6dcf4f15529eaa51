// svc update pause: pause the rollout (plan pause of deploy): running steps finish, no new ones start.
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { outcome } from '../plan/common.js';
import { run as planPause } from '../plan/pause.js';
import { examples, globalsOf } from '../shared.js';

export function register(update: Command, deps: CliDeps): void {
  examples(update.command('pause').alias('interrupt').description('pause the rollout (the deploy plan): running steps finish, no new ones start'), 'svc update pause').action(
    async (_o: unknown, cmd: Command) => {
      const g = globalsOf(cmd);
      deps.io.out(outcome({ globals: g, plan: 'deploy' }, 'paused', await run(g, deps)));
    },
  );
}

export function run(g: GlobalOptions, deps: CliDeps): Promise<{ accepted: boolean }> {
  return planPause({ globals: g, plan: 'deploy' }, deps);
}

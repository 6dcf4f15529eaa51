// svc config …: the service configurations the scheduler has accepted. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as list from './list.js';
import * as show from './show.js';
import * as target from './target.js';
import * as targetId from './target-id.js';

export function register(program: Command, deps: CliDeps): void {
  const config = examples(
    program.command('config').alias('configs').description('the service configurations the scheduler has accepted (JSON)'),
    'svc config list',
    'svc config target_id',
    'svc config show "$(svc config target_id | jq -r .[0])"',
  );
  for (const verb of [list, show, target, targetId]) verb.register(config, deps);
}

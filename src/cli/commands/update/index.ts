// svc update start | status | pause | resume | force-restart | force-complete: roll out a new configuration. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as start from './start.js';
import * as status from './status.js';
import * as pause from './pause.js';
import * as resume from './resume.js';
import * as forceRestart from './force-restart.js';
import * as forceComplete from './force-complete.js';

export function register(program: Command, deps: CliDeps): void {
  const update = examples(
    program.command('update').description('roll out a new configuration of a service'),
    'svc update start --options more-memory.json --wait',
    'svc update status',
    'svc update pause',
  );
  for (const verb of [start, status, pause, resume, forceRestart, forceComplete]) verb.register(update, deps);
}

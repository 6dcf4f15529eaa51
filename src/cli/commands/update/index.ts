// svc update start | status: roll out a new configuration. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as start from './start.js';
import * as status from './status.js';

export function register(program: Command, deps: CliDeps): void {
  const update = examples(
    program.command('update').description('roll out a new configuration of a service'),
    'svc update start --options more-memory.json --wait',
    'svc update status',
  );
  start.register(update, deps);
  status.register(update, deps);
}

// svc debug …: what the scheduler sees, for diagnosis. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as offers from './offers.js';
import * as plans from './plans.js';
import * as taskStatuses from './task-statuses.js';
import * as reservations from './reservations.js';

export function register(program: Command, deps: CliDeps): void {
  const debug = examples(
    program.command('debug').description('what the scheduler sees: placement decisions, plans, task statuses, reservations'),
    'svc debug offers',
    'svc debug task-statuses',
  );
  for (const verb of [offers, plans, taskStatuses, reservations]) verb.register(debug, deps);
}

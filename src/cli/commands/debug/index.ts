// svc debug …: what the scheduler sees, for diagnosis. Each verb lives in its own file. The
// original CLI kept config, state and pod under debug: `svc debug config|state|pod …` are the same
// groups as `svc config|state|pod …`.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as offers from './offers.js';
import * as plans from './plans.js';
import * as taskStatuses from './task-statuses.js';
import * as reservations from './reservations.js';
import { register as registerConfig } from '../config/index.js';
import { register as registerState } from '../state/index.js';
import { register as registerPod } from '../pod/index.js';

export function register(program: Command, deps: CliDeps): void {
  const debug = examples(
    program.command('debug').description('what the scheduler sees: placement decisions, plans, task statuses, reservations'),
    'svc debug offers',
    'svc debug task-statuses',
    'svc debug config target_id      # = svc config target_id',
  );
  for (const verb of [offers, plans, taskStatuses, reservations]) verb.register(debug, deps);
  for (const group of [registerConfig, registerState, registerPod]) group(debug, deps);
}

// svc plan …: show and drive plans. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as list from './list.js';
import * as show from './show.js';
import * as start from './start.js';
import * as stop from './stop.js';
import * as pause from './pause.js';
import * as resume from './resume.js';
import * as forceRestart from './force-restart.js';
import * as forceComplete from './force-complete.js';

export function register(program: Command, deps: CliDeps): void {
  const plan = examples(
    program.command('plan').alias('plans').description('show and drive plans: deploy, recovery, and the custom plans of the spec'),
    'svc plan list',
    'svc plan show deploy',
    'svc plan start sidecar -p PLAN_PARAMETER=hello --wait',
  );
  for (const verb of [list, show, start, stop, pause, resume, forceRestart, forceComplete]) verb.register(plan, deps);
}

// svc pod …: inspect and act on pod instances. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as list from './list.js';
import * as status from './status.js';
import * as info from './info.js';
import * as restart from './restart.js';
import * as replace from './replace.js';
import * as pause from './pause.js';
import * as resume from './resume.js';

export function register(program: Command, deps: CliDeps): void {
  const pod = examples(program.command('pod').alias('pods').description('inspect and act on pod instances'), 'svc pod list', 'svc pod status hello-0', 'svc pod restart hello-0');
  for (const verb of [list, status, info, restart, replace, pause, resume]) verb.register(pod, deps);
}

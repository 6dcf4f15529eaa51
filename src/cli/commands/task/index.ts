// svc task list | log | exec: tasks, their logs, commands inside them. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as list from './list.js';
import * as log from './log.js';
import * as exec from './exec.js';

export function register(program: Command, deps: CliDeps): void {
  const task = examples(
    program.command('task').alias('tasks').description('list tasks, read their logs, run commands inside them').enablePositionalOptions(),
    'svc task list',
    'svc task log hello-0-server --follow',
    'svc task exec -it hello-0-server bash',
  );
  for (const verb of [list, log, exec]) verb.register(task, deps);
}

// svc task list: every task with its state (and restarts, and why it failed).
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { renderTaskRows, taskRows, type TaskRow } from '../../render/task-rows.js';
import { taskHealth } from '../../task-health.js';
import { globalsOf, toJson } from '../shared.js';

export function register(task: Command, deps: CliDeps): void {
  task
    .command('list')
    .description('every task with its state')
    .option('--json', 'print JSON: name, status, pod, id of each task')
    .addHelpText('after', '\nExamples:\n  svc task list\n  svc task list --json\n')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const rows = await run(globalsOf(cmd), deps);
      deps.io.out(o.json ? toJson(rows) : renderTaskRows(rows, await deps.io.colors()));
    });
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<TaskRow[]> {
  const c = await deps.client(g);
  const [{ body }, health] = await Promise.all([c.podStatus(), taskHealth(c)]);
  return taskRows(body, health);
}

// svc task log <task>: a task's stdout (or stderr), from the engine's files here or through the API.
import type { Command } from 'commander';
import { ApiError } from '../../../client/index.js';
import { NoTaskOutput } from '../../../engine/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { failed, usageError } from '../../errors.js';
import { globalsOf } from '../shared.js';
import { notHere, orTasks, taskTarget } from './common.js';

export interface TaskLogOptions {
  globals: GlobalOptions;
  task: string;
  stream: 'stdout' | 'stderr';
  lines?: number;
  follow: boolean;
}

export function register(task: Command, deps: CliDeps): void {
  task
    .command('log')
    .description("print a task's stdout (or stderr)")
    .argument('<task>', 'task name, e.g. hello-0-server')
    .option('--stderr', 'print stderr instead of stdout')
    .option('-f, --follow', 'keep printing what the task writes')
    .option('-n, --lines <n>', 'only the last n lines', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw usageError(`--lines: expected a number, got "${v}"`);
      return n;
    })
    .addHelpText('after', '\nExamples:\n  svc task log hello-0-server\n  svc task log hello-0-server --stderr --lines 20 --follow\n')
    .action((name: string, o: { stderr?: boolean; follow?: boolean; lines?: number }, cmd: Command) =>
      run({ globals: globalsOf(cmd), task: name, stream: o.stderr ? 'stderr' : 'stdout', lines: o.lines, follow: !!o.follow }, deps, (t) => deps.io.out(t)),
    );
}

/** Passes the log's text to `write` as it comes; resolves at its end (never, with `follow`, until interrupted). */
export async function run(o: TaskLogOptions, deps: CliDeps, write: (text: string) => void): Promise<void> {
  const opts = { stream: o.stream, lines: o.lines, follow: o.follow };
  const target = await taskTarget(deps, o.globals);
  if ('remote' in target) {
    const c = await deps.client(o.globals);
    // a 404 for a task that exists says its output is missing: shown as it is
    return orTasks(c, o.task, () =>
      c.taskLog(o.task, opts, write).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 404 && !e.body.startsWith('Task ')) throw failed(e.body);
        throw e;
      }),
    );
  }
  const log = target.local.logs(o.task, opts);
  if (!log) throw notHere(o.task, target.local);
  try {
    for await (const text of log) write(text);
  } catch (e) {
    if (e instanceof NoTaskOutput) throw failed(e.message);
    throw e;
  }
}

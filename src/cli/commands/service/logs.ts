// svc logs [service]: the scheduler's log ($SVC_HOME/<service>/scheduler.log), or its last lines, followed.
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { count, examples, globalsOf } from '../shared.js';
import { readLogFile } from './log-file.js';
import { serviceName } from './start.js';

export interface LogsOptions {
  globals: GlobalOptions;
  service?: string;
  lines?: number;
  follow?: boolean;
  /** Ends --follow (tests); a person ends it with Ctrl-C. */
  signal?: AbortSignal;
}

export function register(program: Command, deps: CliDeps): void {
  examples(
    program
      .command('logs')
      .description("the scheduler's log of a service (launches, failures, plan changes), from $SVC_HOME/<service>/scheduler.log")
      .argument('[service]', 'service name (default: --name, SVC_SERVICE, or the only one installed)')
      .option('-f, --follow', 'keep printing what the scheduler writes')
      .option('-n, --lines <n>', 'only the last n lines', count),
    'svc logs hello-world',
    'svc logs hello-world --lines 50 --follow',
  ).action(async (service: string | undefined, o: { follow?: boolean; lines?: number }, cmd: Command) => {
    await run({ globals: globalsOf(cmd), service, ...o }, deps);
  });
}

export async function run(opts: LogsOptions, deps: CliDeps): Promise<void> {
  const file = (await deps.launcher()).schedulerLog(await serviceName(opts, deps));
  for await (const text of readLogFile(file, opts)) deps.io.out(text);
}

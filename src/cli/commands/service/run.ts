// svc run <spec>: the scheduler of a service in the foreground, until a signal ends the process.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';
import { launchOptions, sourceOptions, type SourceFlags } from './source-options.js';

export interface RunOptions extends SourceFlags {
  source: string;
  /** The global --name, as for install. */
  name?: string;
}

export function register(program: Command, deps: CliDeps): void {
  examples(
    sourceOptions(program.command('run').description('run the scheduler of a service in the foreground, logging to stdout (Ctrl-C stops it; tasks keep running)')),
    'svc run examples/hello-world',
    'svc run examples/memcache/package --options my-options.json',
  ).action(async (source: string, o: SourceFlags, cmd: Command) => {
    const { name } = await run({ ...o, source, name: globalsOf(cmd).name }, deps);
    deps.io.err(`scheduler of ${name} running in the foreground; Ctrl-C stops it (tasks keep running; svc uninstall ${name} removes everything)\n`);
    await new Promise<never>(() => {}); // serve until a signal ends the process
  });
}

/** Starts the scheduler in this process; resolves once it serves. */
export async function run(opts: RunOptions, deps: CliDeps): Promise<{ name: string }> {
  const launcher = await deps.launcher();
  return launcher.runForeground(opts.source, { ...(await launchOptions(opts, deps)), name: opts.name });
}

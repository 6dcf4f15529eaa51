// svc start [service]: supervise again an installed service whose scheduler is down; it adopts the
// tasks still running.
import type { Command } from 'commander';
import { selectHome, type CliDeps, type GlobalOptions } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';

export function register(program: Command, deps: CliDeps): void {
  examples(
    program
      .command('start')
      .description("start the scheduler of an installed service that is down (after svc stop, a reboot or a crash); it adopts the tasks still running")
      .argument('[service]', 'service name (default: --name, SVC_SERVICE, or the only one installed)'),
    'svc start hello-world',
  ).action(async (service: string | undefined, _o: unknown, cmd: Command) => {
    const { name, url } = await run({ globals: globalsOf(cmd), service }, deps);
    deps.io.err(`scheduler of ${name} started; serving ${url}\n`);
  });
}

/** The name of the service started and its API's address. */
export async function run(opts: { globals: GlobalOptions; service?: string }, deps: CliDeps): Promise<{ name: string; url: string }> {
  const name = await serviceName(opts, deps);
  const { client } = await (await deps.launcher()).start(name);
  return { name, url: client.baseUrl };
}

/** The positional service name, else the one the global options select. */
export async function serviceName(opts: { globals: GlobalOptions; service?: string }, deps: CliDeps): Promise<string> {
  return opts.service ?? (await selectHome(deps, opts.globals)).name;
}

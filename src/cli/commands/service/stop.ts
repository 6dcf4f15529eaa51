// svc stop [service]: stop the scheduler and its supervisor; the tasks keep running (svc start
// brings the scheduler back, svc uninstall removes everything).
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { examples, globalsOf } from '../shared.js';
import { serviceName } from './start.js';

export function register(program: Command, deps: CliDeps): void {
  examples(
    program
      .command('stop')
      .description('stop the scheduler of a service (its tasks keep running; svc start brings it back)')
      .argument('[service]', 'service name (default: --name, SVC_SERVICE, or the only one installed)'),
    'svc stop hello-world',
  ).action(async (service: string | undefined, _o: unknown, cmd: Command) => {
    const { name, stopped } = await run({ globals: globalsOf(cmd), service }, deps);
    deps.io.err(stopped ? `scheduler of ${name} stopped; its tasks keep running (svc start ${name} brings it back)\n` : `the scheduler of ${name} is not running; nothing to stop\n`);
  });
}

export async function run(opts: { globals: GlobalOptions; service?: string }, deps: CliDeps): Promise<{ name: string; stopped: boolean }> {
  const name = await serviceName(opts, deps);
  return { name, stopped: await (await deps.launcher()).stop(name) };
}

// install, uninstall, services: the service lifecycle on this machine.
import type { Command } from 'commander';
import type { CliDeps } from '../deps.js';
import { failed, usageError } from '../errors.js';
import { renderColumns } from '../render/tree.js';
import { waitForPlan } from '../wait.js';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`expected a positive integer, got "${v}"`);
  return n;
};
const num = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw usageError(`expected a positive number, got "${v}"`);
  return n;
};

export function register(program: Command, deps: CliDeps): void {
  program
    .command('install')
    .description('install a service from its svc.yml (or a folder holding one) and wait for its deploy plan')
    .argument('<spec>', 'svc.yml file, or a folder holding svc.yml')
    .option('--no-wait', 'return as soon as the scheduler is up')
    .option('--agents <n>', 'number of virtual agents (default 3)', int)
    .option('--agent-cpus <n>', 'cpus of each agent (default 4)', num)
    .option('--agent-mem <mb>', 'memory of each agent in MB (default 8192)', num)
    .option('--timeout <seconds>', 'how long to wait for deploy (default 300)', int, 300)
    .addHelpText('after', '\nExamples:\n  svc install examples/hello-world\n  svc install examples/hello-world/svc.yml --no-wait\n')
    .action(async (spec: string, o: { wait: boolean; agents?: number; agentCpus?: number; agentMem?: number; timeout: number }) => {
      const { install } = await import('../../launcher/launcher.js');
      const { home, client } = await install(deps.svcHome(), spec, { agents: o.agents, agentCpus: o.agentCpus, agentMem: o.agentMem });
      deps.io.err(`service ${home.name} installed; scheduler at ${client.baseUrl}\n`);
      if (o.wait) await waitForPlan(deps.io, client, 'deploy', o.timeout * 1000);
    });

  program
    .command('uninstall')
    .description('kill all tasks, release reservations, wipe state and stop the scheduler')
    .argument('<name>', 'service name')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  svc uninstall hello-world          # asks you to type the name\n  svc uninstall hello-world --yes\n')
    .action(async (name: string, o: { yes?: boolean }) => {
      const { findService } = await import('../../launcher/home.js');
      const { uninstall } = await import('../../launcher/launcher.js');
      const home = findService(deps.svcHome(), name);
      if (!o.yes) {
        if (!deps.io.canPrompt) throw usageError(`refusing to uninstall ${name} without --yes when not running interactively`);
        const { input } = await import('@inquirer/prompts');
        const typed = await input({ message: `This destroys ${name} and all its data. Type the service name to confirm:` });
        if (typed.trim() !== name) throw failed(`confirmation "${typed}" does not match "${name}"; nothing was changed`);
      }
      const spinner = await deps.io.spinner(`uninstalling ${name}`);
      await uninstall(home, (t) => spinner.update(t));
      spinner.stop(`service ${name} uninstalled`);
    });

  program
    .command('services')
    .description('list installed services and their state')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { services } = await import('../../launcher/launcher.js');
      const list = await services(deps.svcHome());
      if (o.json) return deps.io.out(JSON.stringify(list, null, 2) + '\n');
      if (list.length === 0) return deps.io.err('no services installed\n');
      deps.io.out(renderColumns(['NAME', 'STATUS', 'URL'], list.map((s) => [s.name, s.status, s.url ?? '-'])));
    });
}

// install, uninstall, services: the service lifecycle on this machine.
import type { Command } from 'commander';
import { failed, usageError } from '../errors.js';
import { renderColumns, renderPlanTree } from '../render/tree.js';
import type { CliDeps as Deps, GlobalOptions } from '../deps.js';
import { selectHome } from '../deps.js';
import { waitForPlan } from '../wait.js';
import { apiJson, examples, toJson } from './shared.js';

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
/** `--build-var name=value`, collected into one map; a dashed lower-case name, as the placeholders are. */
const buildVar = (v: string, all: Record<string, string> | undefined) => {
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)=(.*)$/s.exec(v);
  if (!m) throw usageError(`--build-var ${JSON.stringify(v)}: expected name=value, e.g. artifact-dir=https://example.org/artifacts`);
  return { ...all, [m[1]]: m[2] };
};

export function register(program: Command, deps: Deps): void {
  /** Options shared by install and run: where the service comes from and the engine's agents. */
  const serviceOptions = (cmd: Command) =>
    cmd
      .option('--engine <kind>', 'what runs the tasks: local (the default; kubernetes is not built yet)')
      .option('--agents <n>', 'number of virtual agents (default 3)', int)
      .option('--agents-file <file>', 'the agents one by one (JSON array of {zone, region, attributes, cpus, mem, disk}), for placement rules')
      .option('--agent-cpus <n>', 'cpus of each agent (default 4)', num)
      .option('--agent-mem <mb>', 'memory of each agent in MB (default 8192)', num)
      .option('--options <file>', 'package options (JSON), for a package folder')
      .option('--spec <file>', "for a package folder: the service spec to render, when it is not the folder's svc.yml")
      .option('--build-var <name=value>', 'for a package that is a build template: the value of a build placeholder ({{artifact-dir}}, ...); repeatable', buildVar)
      .option('--bind <ip>', 'address the API listens on (default 127.0.0.1); beyond loopback it needs --tls, --tls-cert/--tls-key or --insecure')
      .option('--tls', "serve the API over HTTPS with a certificate from svc's CA (svc tls ca); svc trusts it without flags")
      .option('--tls-cert <file>', 'serve the API over HTTPS with this certificate (PEM); with --tls-key')
      .option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
      .option('--insecure', 'accept serving the API over plain HTTP on a non-loopback --bind')
      .option('--permanent-failure-timeout <seconds>', 'replace a pod on fresh resources once a task has kept failing this long (default: never)', int);
  type ServiceOpts = { engine?: string; agents?: number; agentsFile?: string; agentCpus?: number; agentMem?: number; options?: string; spec?: string; buildVar?: Record<string, string>; bind?: string; insecure?: boolean; tls?: boolean; tlsCert?: string; tlsKey?: string; permanentFailureTimeout?: number };
  const launchOptions = async (o: ServiceOpts) => {
    const { readOptions } = await import('../../launcher/launcher.js');
    const { readAgentsFile } = await import('../../launcher/agents-file.js');
    const agentSettings = o.agentsFile ? readAgentsFile(o.agentsFile) : undefined;
    if (agentSettings && o.agents !== undefined && o.agents !== agentSettings.length) {
      throw usageError(`--agents ${o.agents} conflicts with --agents-file ${o.agentsFile}, which describes ${agentSettings.length} agent(s)`);
    }
    return { engine: o.engine, agentSettings, agents: o.agents, agentCpus: o.agentCpus, agentMem: o.agentMem, bind: o.bind, insecure: o.insecure, tls: o.tls, tlsCert: o.tlsCert, tlsKey: o.tlsKey, permanentFailureTimeout: o.permanentFailureTimeout, options: o.options ? readOptions(o.options) : undefined, specFile: o.spec, buildVars: o.buildVar };
  };

  serviceOptions(
    program
      .command('install')
      .description('install a service from its svc.yml (or a folder holding one) and wait for its deploy plan')
      .argument('<spec>', 'svc.yml file, or a folder holding svc.yml, or a package folder'),
  )
    .option('--no-wait', 'return as soon as the scheduler is up')
    .option('--timeout <seconds>', 'how long to wait for deploy (default 300)', int, 300)
    .addHelpText(
      'after',
      '\nExamples:\n  svc install examples/hello-world\n  svc install examples/hello-world/svc.yml --no-wait\n  svc install my-service.yml --agents-file agents.json   # [{"zone": "a", "attributes": {"rack": "r1"}}, ...]\n  svc install examples/memcache/package --options my-options.json\n  svc install path/to/helloworld-package --spec path/to/sidecar.yml\n',
    )
    .action(async (spec: string, o: ServiceOpts & { wait: boolean; timeout: number }) => {
      const { install } = await import('../../launcher/launcher.js');
      const { home, client } = await install(deps.svcHome(), spec, await launchOptions(o));
      deps.io.err(`service ${home.name} installed; scheduler at ${client.baseUrl}\n`);
      if (o.wait) await waitForPlan(deps.io, client, 'deploy', o.timeout * 1000);
    });

  serviceOptions(
    program
      .command('run')
      .description('run the scheduler of a service in the foreground, logging to stdout (Ctrl-C stops it; tasks keep running)')
      .argument('<spec>', 'svc.yml file, or a folder holding svc.yml, or a package folder'),
  )
    .addHelpText('after', '\nExamples:\n  svc run examples/hello-world\n  svc run examples/memcache/package --options my-options.json\n')
    .action(async (spec: string, o: ServiceOpts) => {
      const { runForeground } = await import('../../launcher/launcher.js');
      const home = await runForeground(deps.svcHome(), spec, await launchOptions(o));
      deps.io.err(`scheduler of ${home.name} running in the foreground; Ctrl-C stops it (tasks keep running; svc uninstall ${home.name} removes everything)\n`);
      await new Promise<never>(() => {}); // serve until a signal ends the process
    });

  program
    .command('uninstall')
    .description('kill all tasks, release reservations, wipe state and stop the scheduler')
    .argument('<service>', 'service name (see: svc services)')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  svc uninstall hello-world          # asks you to type the name\n  svc uninstall hello-world --yes\n')
    .action(async (name: string, o: { yes?: boolean }) => {
      const { findService } = await import('../../launcher/home.js');
      const { uninstall } = await import('../../launcher/launcher.js');
      const home = findService(deps.svcHome(), name);
      if (!o.yes) {
        if (!deps.io.canPrompt) throw usageError(`refusing to uninstall ${name} without --yes when not running interactively`);
        const typed = await deps.prompter.input(`This destroys ${name} and all its data. Type the service name to confirm:`);
        if (typed.trim() !== name) throw failed(`confirmation "${typed}" does not match "${name}"; nothing was changed`);
      }
      const spinner = await deps.io.spinner(`uninstalling ${name}`);
      await uninstall(home, (t) => spinner.update(t));
      spinner.stop(`service ${name} uninstalled`);
    });

  const update = examples(
    program.command('update').description('roll out a new configuration of a service'),
    'svc update start --options more-memory.json --wait',
    'svc update status',
  );
  update
    .command('start')
    .description('render the service again (with new package options, or its edited svc.yml), validate it, and roll it out')
    .option('--options <file>', 'package options (JSON), merged over the current ones')
    .option('--wait', 'wait for the rollout to complete, showing progress')
    .option('--timeout <seconds>', 'how long to wait with --wait (default 600)', int, 600)
    .addHelpText('after', '\nExamples:\n  svc update start --options more-memory.json --wait\n  svc --name hello-world update start      # after editing its svc.yml\n')
    .action(async (o: { options?: string; wait?: boolean; timeout: number }) => {
      const { readOptions, update: runUpdate } = await import('../../launcher/launcher.js');
      const home = await selectHome(deps, program.opts<GlobalOptions>());
      const { client } = await runUpdate(home, o.options ? readOptions(o.options) : undefined);
      deps.io.err(`update of ${home.name} accepted; rolling out\n`);
      if (o.wait) await waitForPlan(deps.io, client, 'deploy', o.timeout * 1000);
    });
  update
    .command('status')
    .description('the rollout plan (deploy) as a tree')
    .option('--json', "print the API's JSON")
    .addHelpText('after', '\nExamples:\n  svc update status\n  svc update status --json\n')
    .action(async (o: { json?: boolean }) => {
      const res = await (await deps.client(program.opts<GlobalOptions>())).plan('deploy');
      deps.io.out(o.json ? apiJson(res) : renderPlanTree('deploy', res.body, await deps.io.colors()));
    });

  program
    .command('services')
    .description('list installed services and their state')
    .option('--json', 'print JSON: name, status, url, pid, home of each')
    .addHelpText('after', '\nExamples:\n  svc services\n  svc services --json\n')
    .action(async (o: { json?: boolean }) => {
      const { services } = await import('../../launcher/launcher.js');
      const list = await services(deps.svcHome());
      if (o.json) return deps.io.out(toJson(list));
      if (list.length === 0) return deps.io.err('no services installed; install one with: svc install <svc.yml>\n');
      const c = await deps.io.colors();
      deps.io.out(renderColumns(['NAME', 'STATUS', 'URL'], list.map((s) => [s.name, s.status, s.url ?? '-']), { header: c.bold, cell: (col, t) => (col === 1 ? c.status(t) : t) }));
    });
}

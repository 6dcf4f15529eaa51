// svc install <spec>: register a service, start its scheduler, and wait for its deploy plan.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import type { PlanJson } from '../../../plan/json.js';
import { failed } from '../../errors.js';
import { localAgents, neverFits } from '../../fit.js';
import { DEPLOY_SETTLE_MS, waitForPlan } from '../../wait.js';
import { examples, globalsOf, positiveInt } from '../shared.js';
import { launchOptions, sourceOptions, type SourceFlags } from './source-options.js';

export interface InstallOptions extends SourceFlags {
  source: string;
  wait: boolean;
  timeout: number;
  /** The global --name: the service's name (a package's service.name option; a plain spec must agree). */
  name?: string;
}

export interface Installed {
  name: string;
  url: string;
  /** The deploy plan as it completed; absent with --no-wait. */
  deploy?: PlanJson;
}

export function register(program: Command, deps: CliDeps): void {
  examples(
    sourceOptions(program.command('install').description('install a service from its svc.yml (or a folder holding one) and wait for its deploy plan'))
      .option('--no-wait', 'return as soon as the scheduler is up')
      .option('--timeout <seconds>', 'how long to wait for deploy', positiveInt, 300),
    'svc install examples/hello-world',
    'svc install examples/hello-world/svc.yml --no-wait',
    'svc install my-service.yml --agents-file agents.json   # [{"zone": "a", "attributes": {"rack": "r1"}}, ...]',
    'svc install examples/memcache/package --options my-options.json',
    'svc --name cache-2 install examples/memcache/package   # a package with a service.name option',
    'svc install path/to/helloworld-package --spec path/to/sidecar.yml',
    'MEMCACHE_IMAGE=192.0.2.2:5000/memcached:1 svc install examples/memcache-image --insecure-registry 192.0.2.2:5000   # a plain-HTTP registry',
    'REGISTRY_AUTH_FILE=~/auth.json svc install examples/memcache-image   # registry credentials (default: ~/.docker/config.json, containers auth.json)',
  ).action(async (source: string, o: Omit<InstallOptions, 'source'>, cmd: Command) => {
    await run({ ...o, source, name: globalsOf(cmd).name }, deps);
  });
}

export async function run(opts: InstallOptions, deps: CliDeps): Promise<Installed> {
  const launcher = await deps.launcher();
  const launch = { ...(await launchOptions(opts, deps)), name: opts.name };
  if ((launch.engine ?? 'local') === 'local') {
    // a spec install cannot read is reported by install itself, with all it needs (build variables)
    const spec = await launcher.resolveSpec(opts.source, launch.options, launch.specFile).catch(() => undefined);
    const problems = spec ? neverFits(spec, localAgents(launch)) : [];
    if (problems.length > 0) throw failed(`refusing to install: its deploy could never complete\n  ${problems.join('\n  ')}`);
  }
  const { name, client } = await launcher.install(opts.source, launch);
  deps.io.err(`service ${name} installed; scheduler at ${client.baseUrl}\n`);
  if (!opts.wait) return { name, url: client.baseUrl };
  return { name, url: client.baseUrl, deploy: await waitForPlan(deps.io, client, 'deploy', { timeoutMs: opts.timeout * 1000, keepsGoing: `${name} keeps deploying`, settleMs: DEPLOY_SETTLE_MS }) };
}

// svc spec validate | show: for service authors, a svc.yml (or a DC/OS package) read exactly as
// `svc install` would read it, without installing anything.
import type { Command } from 'commander';
import type { CliDeps } from '../deps.js';
import type { ServiceSpec } from '../../spec/types.js';
import { examples, toJson } from './shared.js';

interface SourceOpts {
  options?: string;
  spec?: string;
}

/** One line per pod type (`cache: 3 × [server]`) and the plans, under the service's name. */
export function summarize(source: string, spec: ServiceSpec): string {
  const pods = spec.pods.map((p) => `  ${p.name}: ${p.count} × [${p.tasks.map((t) => t.name).join(', ')}]`);
  const plans = spec.plans.length > 0 ? spec.plans.map((p) => p.name).join(', ') : 'deploy (generated)';
  return [`${source}: valid`, `service ${spec.name}: ${spec.pods.length} pod type(s)`, ...pods, `plans: ${plans}`, ''].join('\n');
}

export function register(program: Command, deps: CliDeps): void {
  const spec = examples(
    program.command('spec').description('check a svc.yml or a package folder without installing it'),
    'svc spec validate examples/memcache',
    'svc spec show examples/memcache/package --options my-options.json',
  );
  const load = async (source: string, o: SourceOpts): Promise<ServiceSpec> => {
    const { readOptions, resolveSource } = await import('../../launcher/launcher.js');
    return (await resolveSource(source, o.options ? readOptions(o.options) : undefined, o.spec)).spec;
  };
  const withSource = (cmd: Command) =>
    cmd
      .argument('<spec>', 'svc.yml file, or a folder holding svc.yml, or a package folder')
      .option('--options <file>', 'package options (JSON), for a package folder')
      .option('--spec <file>', "for a package folder: the service spec to render, when it is not the folder's svc.yml");

  withSource(spec.command('validate').description('render and validate, as install does: every problem with its YAML path (exit 2), or a summary'))
    .addHelpText('after', '\nExamples:\n  svc spec validate examples/hello-world\n  svc spec validate examples/memcache/package --options my-options.json\n')
    .action(async (source: string, o: SourceOpts) => deps.io.out(summarize(source, await load(source, o))));

  withSource(spec.command('show').description('the resolved spec the scheduler would run, as JSON (package options and templates applied)'))
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc spec show examples/hello-world\n  svc spec show examples/memcache/package --options my-options.json\n')
    .action(async (source: string, o: SourceOpts) => deps.io.out(toJson(await load(source, o))));
}

// svc spec validate <spec>: render and validate as install does; every problem with its YAML path, or a summary.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import type { ServiceSpec } from '../../../spec/types.js';
import { examples } from '../shared.js';
import { load, withSource, type SourceOpts } from './source.js';

/** One line per pod type (`cache: 3 × [server]`) and the plans, under the service's name. */
export function summarize(source: string, spec: ServiceSpec): string {
  const pods = spec.pods.map((p) => `  ${p.name}: ${p.count} × [${p.tasks.map((t) => t.name).join(', ')}]`);
  const plans = spec.plans.length > 0 ? spec.plans.map((p) => p.name).join(', ') : 'deploy (generated)';
  return [`${source}: valid`, `service ${spec.name}: ${spec.pods.length} pod type(s)`, ...pods, `plans: ${plans}`, ''].join('\n');
}

export function register(spec: Command, deps: CliDeps): void {
  examples(
    withSource(spec.command('validate').description('render and validate, as install does: every problem with its YAML path (exit 2), or a summary')),
    'svc spec validate examples/hello-world',
    'svc spec validate examples/memcache/package --options my-options.json',
  ).action(async (source: string, o: Omit<SourceOpts, 'source'>) => deps.io.out(summarize(source, await run({ ...o, source }, deps))));
}

export const run = (o: SourceOpts, deps: CliDeps): Promise<ServiceSpec> => load(o, deps);

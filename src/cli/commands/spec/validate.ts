// svc spec validate <spec>: render and validate as install does. A spec invalid in the spec language
// is every problem with its YAML path (exit 2); a valid one is a summary (exit 0), with what the
// engine would refuse to run listed apart: the original accepted it, this machine may not run it.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import type { SpecCheck } from '../../launcher-port.js';
import type { ServiceSpec } from '../../../spec/types.js';
import { examples, toJson } from '../shared.js';
import { withSource, type SourceOpts } from './source.js';

interface ValidateOpts extends Omit<SourceOpts, 'source'> {
  engine?: string;
  json?: boolean;
}

/** One line per pod type (`cache: 3 × [server]`) and the plans, under the service's name. */
export function summarize(source: string, spec: ServiceSpec): string {
  const pods = spec.pods.map((p) => `  ${p.name}: ${p.count} × [${p.tasks.map((t) => t.name).join(', ')}]`);
  const plans = spec.plans.length > 0 ? spec.plans.map((p) => p.name).join(', ') : 'deploy (generated)';
  return [`${source}: valid`, `service ${spec.name}: ${spec.pods.length} pod type(s)`, ...pods, `plans: ${plans}`, ''].join('\n');
}

/** The summary, then what the engine would refuse (install refuses the spec then, naming the same fields). */
export function report(source: string, c: SpecCheck): string {
  if (c.refused.length === 0) return summarize(source, c.spec);
  const refused = c.refused.map((i) => `- ${i.path}: ${i.message}`);
  return [summarize(source, c.spec).trimEnd(), `the ${c.engine} engine cannot run (svc install would refuse it):`, ...refused, ''].join('\n');
}

export function register(spec: Command, deps: CliDeps): void {
  examples(
    withSource(spec.command('validate').description('render and validate, as install does: every problem with its YAML path (exit 2), or a summary and what the engine cannot run (exit 0)'))
      .option('--engine <kind>', 'the engine to check against: local or kubernetes', 'local')
      .option('--json', 'print {valid, service, engine, unsupported: [{path, message}]}'),
    'svc spec validate examples/hello-world',
    'svc spec validate examples/memcache/package --options my-options.json',
    'svc spec validate my-service.yml --engine kubernetes --json',
  ).action(async (source: string, o: ValidateOpts) => {
    const c = await run({ ...o, source }, deps);
    deps.io.out(o.json ? toJson({ valid: true, service: c.spec.name, engine: c.engine, unsupported: c.refused }) : report(source, c));
  });
}

export async function run(o: SourceOpts & { engine?: string }, deps: CliDeps): Promise<SpecCheck> {
  const launcher = await deps.launcher();
  return launcher.checkSpec(o.source, o.options ? launcher.readOptions(o.options) : undefined, o.spec, o.engine, o.buildVar);
}

// svc spec show <spec>: the resolved spec the scheduler would run, as JSON.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import type { ServiceSpec } from '../../../spec/types.js';
import { examples, toJson } from '../shared.js';
import { load, withSource, type SourceOpts } from './source.js';

export function register(spec: Command, deps: CliDeps): void {
  examples(
    withSource(spec.command('show').description('the resolved spec the scheduler would run, as JSON (package options and templates applied)')).option('--json', 'print JSON (the default)'),
    'svc spec show examples/hello-world',
    'svc spec show examples/memcache/package --options my-options.json',
  ).action(async (source: string, o: Omit<SourceOpts, 'source'>) => deps.io.out(toJson(await run({ ...o, source }, deps))));
}

export const run = (o: SourceOpts, deps: CliDeps): Promise<ServiceSpec> => load(o, deps);

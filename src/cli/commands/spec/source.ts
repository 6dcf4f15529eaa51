// What the spec verbs share: a source read exactly as install reads it.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import type { ServiceSpec } from '../../../spec/types.js';
import { buildVar } from '../service/source-options.js';

export interface SourceOpts {
  source: string;
  options?: string;
  spec?: string;
  buildVar?: Record<string, string>;
}

export function withSource(cmd: Command): Command {
  return cmd
    .argument('<spec>', 'svc.yml file, or a folder holding svc.yml, or a package folder')
    .option('--options <file>', 'package options (JSON), for a package folder')
    .option('--spec <file>', "for a package folder: the service spec to render, when it is not the folder's svc.yml")
    .option('--build-var <name=value>', 'for a package that is a build template: the value of a build placeholder ({{artifact-dir}}, ...); repeatable', buildVar);
}

export async function load(o: SourceOpts, deps: CliDeps): Promise<ServiceSpec> {
  const launcher = await deps.launcher();
  return launcher.resolveSpec(o.source, o.options ? launcher.readOptions(o.options) : undefined, o.spec, o.buildVar);
}

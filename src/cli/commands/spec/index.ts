// svc spec validate | show: for service authors, a svc.yml (or a DC/OS package) read exactly as
// `svc install` would read it, without installing anything. Each verb lives in its own file.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import * as validate from './validate.js';
import * as show from './show.js';

export function register(program: Command, deps: CliDeps): void {
  const spec = examples(
    program.command('spec').description('check a svc.yml or a package folder without installing it'),
    'svc spec validate examples/memcache',
    'svc spec show examples/memcache/package --options my-options.json',
  );
  for (const verb of [validate, show]) verb.register(spec, deps);
}

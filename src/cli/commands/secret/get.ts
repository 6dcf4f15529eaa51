// svc secret get <path>: the one command that prints a value, and only when asked by path.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import { withStore } from './shared.js';

export interface GetOpts {
  path: string;
}

export async function run(o: GetOpts, deps: CliDeps): Promise<void> {
  const value = await withStore(deps, (store) => store.get(o.path));
  deps.io.out(value.toString('utf8'));
}

export function register(group: Command, deps: CliDeps): void {
  examples(
    group.command('get').description("print a secret's value to stdout, as stored (no newline added)").argument('<path>', 'secret path'),
    'svc secret get hello-world/secret1 > s.txt',
  ).action((path: string) => run({ path }, deps));
}

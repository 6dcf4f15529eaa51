// svc secret delete <path>
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import { withStore } from './shared.js';

export interface DeleteOpts {
  path: string;
}

export async function run(o: DeleteOpts, deps: CliDeps): Promise<void> {
  await withStore(deps, (store) => store.delete(o.path));
  deps.io.err(`deleted secret ${o.path}; running tasks keep the value they were given\n`);
}

export function register(group: Command, deps: CliDeps): void {
  examples(group.command('delete').description('delete a secret').argument('<path>', 'secret path'), 'svc secret delete hello-world/secret1').action((path: string) =>
    run({ path }, deps),
  );
}

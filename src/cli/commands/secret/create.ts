// svc secret create <path> --value V | --file F | (stdin)
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import { processStdin, valueOf, withStore, type StdinReader, type ValueOpts } from './shared.js';

export interface CreateOpts extends ValueOpts {
  path: string;
}

export async function run(o: CreateOpts, deps: CliDeps, readStdin: StdinReader = processStdin): Promise<void> {
  const value = await valueOf(o, readStdin);
  await withStore(deps, (store) => store.create(o.path, value));
  deps.io.err(`created secret ${o.path}\n`);
}

export function register(group: Command, deps: CliDeps): void {
  examples(
    group
      .command('create')
      .description('store a new secret (encrypted); its value from --value, --file or stdin')
      .argument('<path>', 'secret path, under the name of the service that reads it (hello-world/secret1)')
      .option('--value <value>', 'the value (visible to other users in the process list: prefer --file or stdin)')
      .option('--file <file>', 'read the value from this file (binary is fine)'),
    'svc secret create hello-world/secret1 --file ./s.txt',
    'printf %s "$PASSWORD" | svc secret create hello-world/db-password',
  ).action((path: string, o: ValueOpts) => run({ ...o, path }, deps));
}

// svc secret update <path> --value V | --file F | (stdin)
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import { processStdin, valueOf, withStore, type StdinReader, type ValueOpts } from './shared.js';

export interface UpdateOpts extends ValueOpts {
  path: string;
}

export async function run(o: UpdateOpts, deps: CliDeps, readStdin: StdinReader = processStdin): Promise<void> {
  const value = await valueOf(o, readStdin);
  await withStore(deps, (store) => store.update(o.path, value));
  deps.io.err(`updated secret ${o.path}; services see it after: svc update start --name <service>\n`);
}

export function register(group: Command, deps: CliDeps): void {
  examples(
    group
      .command('update')
      .description('change the value of a secret; `svc update start` then relaunches the tasks that use it')
      .argument('<path>', 'secret path')
      .option('--value <value>', 'the value (visible to other users in the process list: prefer --file or stdin)')
      .option('--file <file>', 'read the value from this file'),
    'svc secret update hello-world/secret1 --file ./new.txt && svc update start --name hello-world',
  ).action((path: string, o: ValueOpts) => run({ ...o, path }, deps));
}

// svc secret list [prefix]: paths only, never values.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import type { SecretInfo } from '../../../secrets/index.js';
import { examples, toJson } from '../shared.js';
import { withStore } from './shared.js';

export interface ListOpts {
  prefix: string;
  json?: boolean;
}

export async function run(o: ListOpts, deps: CliDeps): Promise<SecretInfo[]> {
  const secrets = await withStore(deps, (store) => store.list(o.prefix));
  deps.io.out(o.json ? toJson(secrets.map((s) => s.path)) : secrets.map((s) => `${s.path}\n`).join(''));
  return secrets;
}

export function register(group: Command, deps: CliDeps): void {
  examples(
    group
      .command('list')
      .description('list secret paths (values are never listed)')
      .argument('[prefix]', 'only paths starting with this (hello-world/)', '')
      .option('--json', 'print a JSON array of paths'),
    'svc secret list',
    'svc secret list hello-world/',
  ).action(async (prefix: string, o: { json?: boolean }) => {
    await run({ prefix, json: o.json }, deps);
  });
}

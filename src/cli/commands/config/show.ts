// svc config show <id>: one stored configuration, the full service spec it was.
import type { Command } from 'commander';
import { ApiError } from '../../../client/errors.js';
import type { JsonValue, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { failed } from '../../errors.js';
import { apiJson, examples, globalsOf, listOrNone } from '../shared.js';

export function register(config: Command, deps: CliDeps): void {
  examples(
    config
      .command('show')
      .description('one stored configuration: the full service spec it was')
      .argument('<id>', 'configuration id (a UUID, see: svc config list)')
      .option('--json', 'print JSON (the default)'),
    'svc config show 9f6c2f63-5a43-4e2b-8f63-3f1b1c2d4e5f',
  ).action(async (id: string, _o: unknown, cmd: Command) => deps.io.out(apiJson(await run({ globals: globalsOf(cmd), id }, deps))));
}

export async function run(opts: { globals: GlobalOptions; id: string }, deps: CliDeps): Promise<Response<JsonValue>> {
  const c = await deps.client(opts.globals);
  try {
    return await c.configuration(opts.id);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
      const what = e.status === 400 ? `"${opts.id}" is not a configuration id (a UUID)` : `configuration ${opts.id} not found`;
      throw failed(`${what}; configurations: ${listOrNone((await c.configurations()).body)}`);
    }
    throw e;
  }
}

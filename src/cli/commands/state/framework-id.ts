// svc state framework_id: the framework id the scheduler registered with.
import type { Command } from 'commander';
import { ApiError } from '../../../client/errors.js';
import type { Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { failed } from '../../errors.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(state: Command, deps: CliDeps): void {
  examples(
    state.command('framework_id').alias('framework-id').description('the framework id the scheduler registered with, as a one-element array').option('--json', 'print JSON (the default)'),
    'svc state framework_id',
  ).action(async (_o: unknown, cmd: Command) => deps.io.out(apiJson(await run(globalsOf(cmd), deps))));
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<string[]>> {
  try {
    return await (await deps.client(g)).frameworkId();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw failed('no framework id is stored yet: the scheduler has not registered (svc describe)');
    throw e;
  }
}

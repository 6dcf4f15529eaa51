// svc config target_id: the target configuration's id, as a one-element array.
import type { Command } from 'commander';
import { ApiError } from '../../../client/errors.js';
import type { Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { failed } from '../../errors.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(config: Command, deps: CliDeps): void {
  examples(config.command('target_id').alias('target-id').description("the target configuration's id, as a one-element array").option('--json', 'print JSON (the default)'), 'svc config target_id').action(
    async (_o: unknown, cmd: Command) => deps.io.out(apiJson(await run(globalsOf(cmd), deps))),
  );
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<string[]>> {
  try {
    return await (await deps.client(g)).configTargetId();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw failed('the scheduler has no target configuration yet; is it still starting? (svc describe)');
    throw e;
  }
}

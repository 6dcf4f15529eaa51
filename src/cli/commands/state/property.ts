// svc state property <key>: one property's value.
import type { Command } from 'commander';
import { ApiError } from '../../../client/errors.js';
import type { JsonValue, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { failed } from '../../errors.js';
import { apiJson, examples, globalsOf, listOrNone } from '../shared.js';

export function register(state: Command, deps: CliDeps): void {
  examples(
    state.command('property').description("one property's value").argument('<key>', 'property key (see: svc state properties)').option('--json', 'print JSON, also when the value is a plain string'),
    'svc state property last-completed-update-type',
  ).action(async (key: string, o: { json?: boolean }, cmd: Command) => {
    const res = await run({ globals: globalsOf(cmd), key }, deps);
    deps.io.out(typeof res.body === 'string' && !o.json ? `${res.body}\n` : apiJson(res));
  });
}

export async function run(opts: { globals: GlobalOptions; key: string }, deps: CliDeps): Promise<Response<JsonValue>> {
  const c = await deps.client(opts.globals);
  try {
    return await c.property(opts.key);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      const keys = (await c.properties()).body;
      throw failed(`property "${opts.key}" not found; properties: ${listOrNone(Array.isArray(keys) ? keys.map(String) : [])}`);
    }
    throw e;
  }
}

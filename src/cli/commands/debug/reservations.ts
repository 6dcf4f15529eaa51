// svc debug reservations: reserved resources, by agent hostname (JSON).
import type { Command } from 'commander';
import type { JsonValue, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(debug: Command, deps: CliDeps): void {
  examples(debug.command('reservations').description('reserved resources, by agent hostname (JSON)').option('--json', 'print JSON (the default)'), 'svc debug reservations').action(
    async (_o: unknown, cmd: Command) => deps.io.out(apiJson(await run(globalsOf(cmd), deps))),
  );
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<JsonValue>> {
  return (await deps.client(g)).debugReservations();
}

// svc debug offers: why steps were placed or not, counted by reason.
import type { Command } from 'commander';
import type { OffersJson, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { renderOffers } from '../../render/offers.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(debug: Command, deps: CliDeps): void {
  examples(
    debug.command('offers').description('why steps were placed or not: the last 100 placement evaluations, counted by reason').option('--json', "print the API's JSON (GET /v2/debug/offers)"),
    'svc debug offers',
    'svc debug offers --json',
  ).action(async (o: { json?: boolean }, cmd: Command) => {
    const res = await run(globalsOf(cmd), deps);
    deps.io.out(o.json ? apiJson(res) : renderOffers(res.body, await deps.io.colors()));
  });
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<OffersJson>> {
  return (await deps.client(g)).debugOffers();
}

// svc update status: the rollout plan (deploy) as a tree.
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import type { Response } from '../../../client/index.js';
import type { PlanJson } from '../../../plan/json.js';
import { renderPlanTree } from '../../render/tree.js';
import { apiJson, examples, globalsOf } from '../shared.js';

export function register(update: Command, deps: CliDeps): void {
  examples(
    update.command('status').alias('show').description('the rollout plan (deploy) as a tree').option('--json', "print the API's JSON"),
    'svc update status',
    'svc update status --json',
  ).action(async (o: { json?: boolean }, cmd: Command) => {
    const res = await run(globalsOf(cmd), deps);
    deps.io.out(o.json ? apiJson(res) : renderPlanTree('deploy', res.body, await deps.io.colors()));
  });
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<Response<PlanJson>> {
  return (await deps.client(g)).plan('deploy');
}

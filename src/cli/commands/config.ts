// svc config list | show <id> | target | target_id — the configurations the scheduler has accepted.
import type { Command } from 'commander';
import { ApiError } from '../../client/errors.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { failed } from '../errors.js';
import { apiJson, examples, listOrNone } from './shared.js';

export function register(program: Command, deps: CliDeps): void {
  const client = () => deps.client(program.opts<GlobalOptions>());
  const config = examples(
    program.command('config').alias('configs').description('the service configurations the scheduler has accepted (JSON)'),
    'svc config list',
    'svc config target_id',
    'svc config show "$(svc config target_id | jq -r .[0])"',
  );
  config
    .command('list')
    .description('ids of every stored configuration')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc config list\n')
    .action(async () => deps.io.out(apiJson(await (await client()).configurations())));
  config
    .command('show')
    .description('one stored configuration: the full service spec it was')
    .argument('<id>', 'configuration id (a UUID, see: svc config list)')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc config show 9f6c2f63-5a43-4e2b-8f63-3f1b1c2d4e5f\n')
    .action(async (id: string) => {
      const c = await client();
      try {
        deps.io.out(apiJson(await c.configuration(id)));
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 400)) {
          const what = e.status === 400 ? `"${id}" is not a configuration id (a UUID)` : `configuration ${id} not found`;
          throw failed(`${what}; configurations: ${listOrNone((await c.configurations()).body)}`);
        }
        throw e;
      }
    });
  config
    .command('target')
    .description('the target configuration: what the scheduler deploys now')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc config target\n  svc config target | jq .pods\n')
    .action(async () => deps.io.out(apiJson(await (await client()).configTarget())));
  config
    .command('target_id')
    .alias('target-id')
    .description("the target configuration's id, as a one-element array")
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc config target_id\n')
    .action(async () => {
      const c = await client();
      try {
        deps.io.out(apiJson(await c.configTargetId()));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) throw failed('the scheduler has no target configuration yet; is it still starting? (svc describe)');
        throw e;
      }
    });
}

// svc state framework_id | properties | property <key> — what the scheduler keeps in its state store.
import type { Command } from 'commander';
import { ApiError } from '../../client/errors.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { failed } from '../errors.js';
import { apiJson, examples, listOrNone } from './shared.js';

export function register(program: Command, deps: CliDeps): void {
  const client = () => deps.client(program.opts<GlobalOptions>());
  const state = examples(
    program.command('state').description("the scheduler's stored state: framework id and properties (JSON)"),
    'svc state framework_id',
    'svc state properties',
    'svc state property last-completed-update-type',
  );
  state
    .command('framework_id')
    .alias('framework-id')
    .description('the framework id the scheduler registered with, as a one-element array')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc state framework_id\n')
    .action(async () => {
      try {
        deps.io.out(apiJson(await (await client()).frameworkId()));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) throw failed('no framework id is stored yet: the scheduler has not registered (svc describe)');
        throw e;
      }
    });
  state
    .command('properties')
    .description('the keys of every stored property')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc state properties\n')
    .action(async () => deps.io.out(apiJson(await (await client()).properties())));
  state
    .command('property')
    .description("one property's value")
    .argument('<key>', 'property key (see: svc state properties)')
    .option('--json', 'print JSON, also when the value is a plain string')
    .addHelpText('after', '\nExamples:\n  svc state property last-completed-update-type\n')
    .action(async (key: string, o: { json?: boolean }) => {
      const c = await client();
      try {
        const res = await c.property(key);
        deps.io.out(typeof res.body === 'string' && !o.json ? `${res.body}\n` : apiJson(res));
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          const keys = (await c.properties()).body;
          throw failed(`property "${key}" not found; properties: ${listOrNone(Array.isArray(keys) ? keys.map(String) : [])}`);
        }
        throw e;
      }
    });
}

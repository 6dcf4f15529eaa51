// svc endpoints [endpoint]: where clients connect: the endpoint names, or the addresses of one.
import type { Command } from 'commander';
import type { EndpointJson, Response } from '../../../client/index.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { apiJson, globalsOf, listOrNone, on404 } from '../shared.js';

export function register(program: Command, deps: CliDeps): void {
  program
    .command('endpoints')
    .alias('endpoint')
    .description('where clients connect: endpoint names, or the addresses of one')
    .argument('[endpoint]', 'endpoint name (an advertised port), e.g. memcache')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc endpoints\n  svc endpoints memcache\n')
    .action(async (name: string | undefined, _o: unknown, cmd: Command) => {
      const res = await run({ globals: globalsOf(cmd), endpoint: name }, deps);
      // a custom endpoint's text is printed as it is
      deps.io.out(typeof res.body === 'string' ? `${res.body}\n` : apiJson(res));
    });
}

export async function run(o: { globals: GlobalOptions; endpoint?: string }, deps: CliDeps): Promise<Response<string[] | EndpointJson | string>> {
  const c = await deps.client(o.globals);
  const name = o.endpoint;
  if (!name) return c.endpoints();
  return on404(() => c.endpoint(name), async () => `endpoint "${name}" not found; endpoints: ${listOrNone((await c.endpoints()).body)}`);
}

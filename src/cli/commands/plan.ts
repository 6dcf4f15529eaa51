// svc plan list | show
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { renderPlanTree } from '../render/tree.js';

export function register(program: Command, deps: CliDeps): void {
  const plan = program.command('plan').alias('plans').description('show and drive plans');
  const g = () => program.opts<GlobalOptions>();
  plan
    .command('list')
    .description('names of the service\'s plans (JSON)')
    .action(async () => {
      const { body } = await (await deps.client(g())).plans();
      deps.io.out(JSON.stringify(body, null, 2) + '\n');
    });
  plan
    .command('show')
    .alias('status')
    .description('a plan as a tree of phases and steps')
    .argument('<plan>', 'plan name, e.g. deploy')
    .option('--json', 'print the API\'s JSON')
    .addHelpText('after', '\nExamples:\n  svc plan show deploy\n  svc plan show deploy --json\n')
    .action(async (name: string, o: { json?: boolean }) => {
      const { body } = await (await deps.client(g())).plan(name);
      deps.io.out(o.json ? JSON.stringify(body, null, 2) + '\n' : renderPlanTree(name, body));
    });
}

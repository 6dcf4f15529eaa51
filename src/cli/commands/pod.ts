// svc pod list | status
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { renderPodInstanceTree, renderPodTree } from '../render/tree.js';

export function register(program: Command, deps: CliDeps): void {
  const pod = program.command('pod').alias('pods').description('inspect and act on pod instances');
  const g = () => program.opts<GlobalOptions>();
  pod
    .command('list')
    .description('names of the pod instances (JSON)')
    .action(async () => {
      const { body } = await (await deps.client(g())).pods();
      deps.io.out(JSON.stringify(body, null, 2) + '\n');
    });
  pod
    .command('status')
    .description('every pod instance with its tasks and their states, or one pod instance')
    .argument('[pod]', 'pod instance, e.g. hello-0')
    .option('--json', 'print the API\'s JSON')
    .addHelpText('after', '\nExamples:\n  svc pod status\n  svc pod status hello-0 --json\n')
    .action(async (name: string | undefined, o: { json?: boolean }) => {
      const client = await deps.client(g());
      if (name) {
        const { body } = await client.podInstanceStatus(name);
        return deps.io.out(o.json ? JSON.stringify(body, null, 2) + '\n' : renderPodInstanceTree(body));
      }
      const { body } = await client.podStatus();
      deps.io.out(o.json ? JSON.stringify(body, null, 2) + '\n' : renderPodTree(body));
    });
}

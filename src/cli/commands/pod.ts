// svc pod list | status
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { usageError } from '../errors.js';
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
  pod
    .command('restart')
    .description('kill a pod instance\'s tasks and relaunch them in place (same agent, volumes kept)')
    .argument('<pod>', 'pod instance, e.g. hello-0')
    .addHelpText('after', '\nExample:\n  svc pod restart hello-0\n')
    .action(async (name: string) => {
      const { body } = await (await deps.client(g())).podAction(name, 'restart');
      deps.io.out(JSON.stringify(body, null, 2) + '\n');
    });
  pod
    .command('replace')
    .description('destroy a pod instance (volumes and reservations) and launch it on fresh resources')
    .argument('<pod>', 'pod instance, e.g. hello-0')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExample:\n  svc pod replace hello-0 --yes\n')
    .action(async (name: string, o: { yes?: boolean }) => {
      if (!o.yes) {
        if (!deps.io.canPrompt) throw usageError(`refusing to replace ${name} (its data is destroyed) without --yes when not running interactively`);
        const { confirm } = await import('@inquirer/prompts');
        if (!(await confirm({ message: `Replace ${name}? Its volumes are destroyed.`, default: false }))) return;
      }
      const { body } = await (await deps.client(g())).podAction(name, 'replace');
      deps.io.out(JSON.stringify(body, null, 2) + '\n');
    });
  for (const action of ['pause', 'resume'] as const) {
    pod
      .command(action)
      .description(action === 'pause' ? 'relaunch tasks of a pod instance running `sleep` instead of their command, to debug them' : 'relaunch paused tasks with their real command')
      .argument('<pod>', 'pod instance, e.g. hello-0')
      .option('-t, --task <task...>', 'only these tasks (short or full names)')
      .addHelpText('after', `\nExamples:\n  svc pod ${action} hello-0\n  svc pod ${action} hello-0 -t server\n`)
      .action(async (name: string, o: { task?: string[] }) => {
        const { body } = await (await deps.client(g())).podAction(name, action, o.task);
        deps.io.out(JSON.stringify(body, null, 2) + '\n');
      });
  }
}

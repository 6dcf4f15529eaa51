// svc pod list | status | info | restart | replace | pause | resume
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { failed, usageError } from '../errors.js';
import { renderPodInstanceTree, renderPodTree } from '../render/tree.js';
import { apiJson, examples, listOrNone, on404 } from './shared.js';

export function register(program: Command, deps: CliDeps): void {
  const pod = examples(
    program.command('pod').alias('pods').description('inspect and act on pod instances'),
    'svc pod list',
    'svc pod status hello-0',
    'svc pod restart hello-0',
  );
  const g = () => program.opts<GlobalOptions>();
  const client = () => deps.client(g());
  // An unknown pod is answered with the pods there are; an unknown task with where to find them.
  const orPods = async <T>(name: string, work: () => Promise<T>, tasks: readonly string[] = []): Promise<T> =>
    on404(work, async (e) => {
      const pods = (await (await client()).pods()).body;
      if (pods.includes(name) && tasks.length > 0) return `${e.message}: ${name} has no task ${tasks.join(', ')} (see: svc pod status ${name})`;
      return `${e.message}; pods: ${listOrNone(pods)}`;
    });

  pod
    .command('list')
    .description('names of the pod instances (JSON)')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc pod list\n')
    .action(async () => {
      deps.io.out(apiJson(await (await client()).pods()));
    });
  pod
    .command('status')
    .description('every pod instance with its tasks and their states, or one pod instance')
    .argument('[pod]', 'pod instance, e.g. hello-0')
    .option('--json', "print the API's JSON")
    .addHelpText('after', '\nExamples:\n  svc pod status\n  svc pod status hello-0 --json\n')
    .action(async (name: string | undefined, o: { json?: boolean }) => {
      const c = await client();
      const colors = await deps.io.colors();
      if (name) {
        const res = await orPods(name, () => c.podInstanceStatus(name));
        return deps.io.out(o.json ? apiJson(res) : renderPodInstanceTree(res.body, colors));
      }
      const res = await c.podStatus();
      deps.io.out(o.json ? apiJson(res) : renderPodTree(res.body, colors));
    });
  pod
    .command('info')
    .description("each task of a pod instance as the scheduler stores it: task info and last status (JSON)")
    .argument('<pod>', 'pod instance, e.g. hello-0')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc pod info hello-0\n')
    .action(async (name: string) => {
      deps.io.out(apiJson(await orPods(name, async () => (await client()).podInfo(name))));
    });
  pod
    .command('restart')
    .description("kill a pod instance's tasks and relaunch them in place (same agent, volumes kept)")
    .argument('<pod>', 'pod instance, e.g. hello-0')
    .addHelpText('after', '\nExamples:\n  svc pod restart hello-0\n')
    .action(async (name: string) => {
      deps.io.out(apiJson(await orPods(name, async () => (await client()).podAction(name, 'restart'))));
    });
  pod
    .command('replace')
    .description('destroy a pod instance (volumes and reservations) and launch it on fresh resources')
    .argument('<pod>', 'pod instance, e.g. hello-0')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText('after', '\nExamples:\n  svc pod replace hello-0          # asks first\n  svc pod replace hello-0 --yes\n')
    .action(async (name: string, o: { yes?: boolean }) => {
      if (!o.yes) {
        if (!deps.io.canPrompt) throw usageError(`refusing to replace ${name} (its data is destroyed) without --yes when not running interactively`);
        if (!(await deps.prompter.confirm(`Replace ${name}? Its volumes are destroyed.`))) throw failed(`cancelled; ${name} was not replaced`);
      }
      deps.io.out(apiJson(await orPods(name, async () => (await client()).podAction(name, 'replace'))));
    });
  for (const action of ['pause', 'resume'] as const) {
    pod
      .command(action)
      .description(action === 'pause' ? 'relaunch tasks of a pod instance running `sleep` instead of their command, to debug them' : 'relaunch paused tasks with their real command')
      .argument('<pod>', 'pod instance, e.g. hello-0')
      .option('-t, --task <task...>', 'only these tasks (short or full names)')
      .addHelpText('after', `\nExamples:\n  svc pod ${action} hello-0\n  svc pod ${action} hello-0 -t server\n`)
      .action(async (name: string, o: { task?: string[] }) => {
        deps.io.out(apiJson(await orPods(name, async () => (await client()).podAction(name, action, o.task), o.task)));
      });
  }
}

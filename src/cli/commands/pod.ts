// svc pod list | status | info | restart | replace | pause | resume
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { failed, usageError } from '../errors.js';
import { renderPodInstanceTree, renderPodTree } from '../render/tree.js';
import { examples, listOrNone, on404, toJson } from './shared.js';

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
      const { body } = await (await client()).pods();
      deps.io.out(toJson(body));
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
        const { body } = await orPods(name, () => c.podInstanceStatus(name));
        return deps.io.out(o.json ? toJson(body) : renderPodInstanceTree(body, colors));
      }
      const { body } = await c.podStatus();
      deps.io.out(o.json ? toJson(body) : renderPodTree(body, colors));
    });
  pod
    .command('info')
    .description("each task of a pod instance as the scheduler stores it: task info and last status (JSON)")
    .argument('<pod>', 'pod instance, e.g. hello-0')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc pod info hello-0\n')
    .action(async (name: string) => {
      const { body } = await orPods(name, async () => (await client()).podInfo(name));
      deps.io.out(toJson(body));
    });
  pod
    .command('restart')
    .description("kill a pod instance's tasks and relaunch them in place (same agent, volumes kept)")
    .argument('<pod>', 'pod instance, e.g. hello-0')
    .addHelpText('after', '\nExamples:\n  svc pod restart hello-0\n')
    .action(async (name: string) => {
      const { body } = await orPods(name, async () => (await client()).podAction(name, 'restart'));
      deps.io.out(toJson(body));
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
      const { body } = await orPods(name, async () => (await client()).podAction(name, 'replace'));
      deps.io.out(toJson(body));
    });
  for (const action of ['pause', 'resume'] as const) {
    pod
      .command(action)
      .description(action === 'pause' ? 'relaunch tasks of a pod instance running `sleep` instead of their command, to debug them' : 'relaunch paused tasks with their real command')
      .argument('<pod>', 'pod instance, e.g. hello-0')
      .option('-t, --task <task...>', 'only these tasks (short or full names)')
      .addHelpText('after', `\nExamples:\n  svc pod ${action} hello-0\n  svc pod ${action} hello-0 -t server\n`)
      .action(async (name: string, o: { task?: string[] }) => {
        const { body } = await orPods(name, async () => (await client()).podAction(name, action, o.task), o.task);
        deps.io.out(toJson(body));
      });
  }
}

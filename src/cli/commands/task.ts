// svc task list | log | exec, and svc endpoints
import type { Command } from 'commander';
import { ApiError } from '../../client/index.js';
import { ExecFailed, NoTaskOutput, type LocalTasks } from '../../engine/types.js';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { CliError, failed, usageError } from '../errors.js';
import { renderTaskRows, taskRows } from '../render/task-rows.js';
import { taskHealth } from '../task-health.js';
import { apiJson, examples, listOrNone, on404, toJson } from './shared.js';
import { attached, taskTarget } from './task-target.js';

export function register(program: Command, deps: CliDeps): void {
  const g = () => program.opts<GlobalOptions>();
  const task = examples(
    program.command('task').alias('tasks').description('list tasks, read their logs, run commands inside them').enablePositionalOptions(),
    'svc task list',
    'svc task log hello-0-server --follow',
    'svc task exec -it hello-0-server bash',
  );
  const client = () => deps.client(g());
  // An unknown task is answered with the tasks there are.
  const orTasks = <T>(name: string, work: () => Promise<T>): Promise<T> =>
    on404(work, async () => {
      const { body } = await (await client()).podStatus();
      const names = (body.pods ?? []).flatMap((p) => p.instances.flatMap((i) => i.tasks.map((t) => t.name)));
      return `task "${name}" not found; tasks: ${listOrNone(names)}`;
    });
  task
    .command('list')
    .description('every task with its state')
    .option('--json', 'print JSON: name, status, pod, id of each task')
    .addHelpText('after', '\nExamples:\n  svc task list\n  svc task list --json\n')
    .action(async (o: { json?: boolean }) => {
      const c = await client();
      const [{ body }, health] = await Promise.all([c.podStatus(), taskHealth(c)]);
      const rows = taskRows(body, health);
      if (o.json) return deps.io.out(toJson(rows));
      deps.io.out(renderTaskRows(rows, await deps.io.colors()));
    });
  /** An unknown task, answered with the tasks there are here. */
  const notHere = (name: string, local: LocalTasks) => failed(`task "${name}" not found; tasks: ${listOrNone(local.names())}`);
  task
    .command('log')
    .description("print a task's stdout (or stderr)")
    .argument('<task>', 'task name, e.g. hello-0-server')
    .option('--stderr', 'print stderr instead of stdout')
    .option('-f, --follow', 'keep printing what the task writes')
    .option('-n, --lines <n>', 'only the last n lines', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw usageError(`--lines: expected a number, got "${v}"`);
      return n;
    })
    .addHelpText('after', '\nExamples:\n  svc task log hello-0-server\n  svc task log hello-0-server --stderr --lines 20 --follow\n')
    .action(async (name: string, o: { stderr?: boolean; follow?: boolean; lines?: number }) => {
      const opts = { stream: o.stderr ? ('stderr' as const) : ('stdout' as const), lines: o.lines, follow: !!o.follow };
      const target = await taskTarget(deps, g());
      if ('remote' in target) {
        const c = await client();
        // a 404 for a task that exists says its output is missing: shown as it is
        return orTasks(name, () => c.taskLog(name, opts, (t) => deps.io.out(t)).catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 404 && !e.body.startsWith('Task ')) throw failed(e.body);
          throw e;
        }));
      }
      const log = target.local.logs(name, opts);
      if (!log) throw notHere(name, target.local);
      try {
        for await (const text of log) deps.io.out(text);
      } catch (e) {
        if (e instanceof NoTaskOutput) throw failed(e.message);
        throw e;
      }
    });
  task
    .command('exec')
    .description("run a command inside a task: its sandbox, its environment, its agent's IP")
    .argument('<task>', 'task name, e.g. hello-0-server')
    .argument('<cmd>', 'command to run')
    .argument('[args...]', 'its arguments')
    .option('-i, --interactive', 'attach standard input')
    .option('-t, --tty', "use the terminal as the command's TTY (with -i)")
    .passThroughOptions()
    .addHelpText('after', '\nExamples:\n  svc task exec hello-0-server cat hello-container-path/output\n  svc task exec -it hello-0-server bash\n')
    .action(async (name: string, cmd: string, args: string[], o: { interactive?: boolean; tty?: boolean }) => {
      const target = await taskTarget(deps, g());
      let code: number;
      if ('remote' in target) {
        if (o.interactive || o.tty) throw usageError(`not supported: -i/-t through the API (--url/SVC_URL); run svc task exec -it ${name} on the machine where the service is installed`);
        const c = await client();
        code = await orTasks(name, () => c.execRemote(name, cmd, args, (stream, text) => (stream === 'stdout' ? deps.io.out(text) : deps.io.err(text))));
      } else {
        if (o.tty && !deps.io.canPrompt) throw usageError('-t needs a terminal on stdin and stdout');
        const session = target.local.exec(name, { cmd, args }, { tty: !!o.tty, stdin: o.interactive ? 'inherit' : 'none' });
        if (!session) throw notHere(name, target.local);
        code = await attached(session, deps, !!o.tty).catch((e: unknown) => {
          throw e instanceof ExecFailed ? failed(`${name}: ${e.message}`) : e;
        });
      }
      if (code !== 0) throw new CliError(`command exited with code ${code}`, 1, code);
    });

  program
    .command('endpoints')
    .alias('endpoint')
    .description('where clients connect: endpoint names, or the addresses of one')
    .argument('[endpoint]', 'endpoint name (an advertised port), e.g. memcache')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc endpoints\n  svc endpoints memcache\n')
    .action(async (name: string | undefined) => {
      const c = await client();
      const res = name
        ? await on404(() => c.endpoint(name), async () => `endpoint "${name}" not found; endpoints: ${listOrNone((await c.endpoints()).body)}`)
        : await c.endpoints();
      // a custom endpoint's text is printed as it is
      deps.io.out(typeof res.body === 'string' ? `${res.body}\n` : apiJson(res));
    });
}

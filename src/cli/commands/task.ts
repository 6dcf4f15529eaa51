// svc task list | log | exec, and svc endpoints
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { containerExecArgv } from '../../engine/local/container-exec.js';
import { CliError, failed, usageError } from '../errors.js';
import { renderColumns } from '../render/tree.js';
import { apiJson, examples, listOrNone, on404, toJson } from './shared.js';

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
      const { body } = await (await client()).podStatus();
      const rows = (body.pods ?? []).flatMap((p) => p.instances.flatMap((i) => i.tasks.map((t) => ({ name: t.name, status: t.status ?? '<UNKNOWN>', pod: i.name, id: t.id }))));
      if (o.json) return deps.io.out(toJson(rows));
      const c = await deps.io.colors();
      deps.io.out(renderColumns(['NAME', 'STATUS', 'POD', 'ID'], rows.map((r) => [r.name, r.status, r.pod, r.id]), { header: c.bold, cell: (col, t) => (col === 1 ? c.status(t) : t) }));
    });
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
      const body = local(name, (await orTasks(name, async () => (await client()).execContext(name))).body);
      const { readLog } = await import('./task-log.js');
      const file = `${body.cwd}/${o.stderr ? 'stderr' : 'stdout'}`;
      try {
        await readLog(file, { lines: o.lines, follow: !!o.follow, write: (t) => deps.io.out(t) });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw failed(`${name} has no ${o.stderr ? 'stderr' : 'stdout'} file (${file}); has it started? (svc task list)`);
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
    .option('-t, --tty', 'use the terminal as the command\'s TTY (with -i)')
    .passThroughOptions()
    .addHelpText('after', '\nExamples:\n  svc task exec hello-0-server cat hello-container-path/output\n  svc task exec -it hello-0-server bash\n')
    .action(async (name: string, cmd: string, args: string[], o: { interactive?: boolean; tty?: boolean }) => {
      const c = await client();
      const { body } = await orTasks(name, () => c.execContext(name));
      let code: number;
      if (existsSync(body.cwd)) {
        if (o.tty && !deps.io.canPrompt) throw usageError('-t needs a terminal on stdin and stdout');
        code = await new Promise<number>((resolve, reject) => {
          const boxed = containerExecArgv(body.cwd, cmd, args, o.tty === true); // a task in a container: run it in there
          const child = spawn(boxed?.file ?? cmd, boxed?.args ?? args, { cwd: body.cwd, env: body.env, stdio: [o.interactive ? 'inherit' : 'ignore', 'inherit', 'inherit'] });
          child.once('error', (e) => reject(failed(`cannot run ${cmd} in ${name}: ${e.message}`)));
          child.once('exit', (c2, signal) => resolve(c2 ?? (signal ? 128 + 9 : 1)));
        });
      } else {
        // the task runs on another machine: the scheduler runs the command there and streams its output
        if (o.interactive || o.tty) throw usageError(`not supported: -i/-t with a task on another machine (${name}); run without them, or where the scheduler runs`);
        code = await c.execRemote(name, cmd, args, (stream, text) => (stream === 'stdout' ? deps.io.out(text) : deps.io.err(text)));
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

/** exec and log reach into the sandbox directly: it must be on this machine. */
function local<T extends { cwd: string }>(task: string, ctx: T): T {
  if (!existsSync(ctx.cwd)) throw failed(`not supported: ${task} runs on another machine (its sandbox ${ctx.cwd} is not here); run svc task exec/log where the scheduler runs`);
  return ctx;
}

// svc task list | log | exec, and svc endpoints
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { CliError, failed, usageError } from '../errors.js';
import { renderColumns } from '../render/tree.js';

export function register(program: Command, deps: CliDeps): void {
  const g = () => program.opts<GlobalOptions>();
  const task = program.command('task').alias('tasks').description('list tasks, read their logs, run commands inside them').enablePositionalOptions();
  task
    .command('list')
    .description('every task with its state')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const { body } = await (await deps.client(g())).podStatus();
      const rows = (body.pods ?? []).flatMap((p) => p.instances.flatMap((i) => i.tasks.map((t) => ({ name: t.name, status: t.status ?? '<UNKNOWN>', pod: i.name, id: t.id }))));
      if (o.json) return deps.io.out(JSON.stringify(rows, null, 2) + '\n');
      deps.io.out(renderColumns(['NAME', 'STATUS', 'POD', 'ID'], rows.map((r) => [r.name, r.status, r.pod, r.id])));
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
      const { body } = await (await deps.client(g())).execContext(name);
      const { readLog } = await import('./task-log.js');
      await readLog(`${body.cwd}/${o.stderr ? 'stderr' : 'stdout'}`, { lines: o.lines, follow: !!o.follow, write: (t) => deps.io.out(t) });
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
      const { body } = await (await deps.client(g())).execContext(name);
      if (o.tty && !deps.io.canPrompt) throw usageError('-t needs a terminal on stdin and stdout');
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(cmd, args, { cwd: body.cwd, env: body.env, stdio: [o.interactive ? 'inherit' : 'ignore', 'inherit', 'inherit'] });
        child.once('error', (e) => reject(failed(`cannot run ${cmd} in ${name}: ${e.message}`)));
        child.once('exit', (c, signal) => resolve(c ?? (signal ? 128 + 9 : 1)));
      });
      if (code !== 0) throw new CliError(`command exited with code ${code}`, 1, code);
    });

  program
    .command('endpoints')
    .alias('endpoint')
    .description('where clients connect: endpoint names, or the addresses of one')
    .argument('[name]', 'endpoint name (an advertised port), e.g. memcache')
    .addHelpText('after', '\nExamples:\n  svc endpoints\n  svc endpoints memcache\n')
    .action(async (name: string | undefined) => {
      const client = await deps.client(g());
      const { body } = name ? await client.endpoint(name) : await client.endpoints();
      deps.io.out(typeof body === 'string' ? `${body}\n` : JSON.stringify(body, null, 2) + '\n');
    });
}

// svc task exec <task> <cmd> [args...]: run a command inside a task (its sandbox, environment, agent's IP).
import type { Command } from 'commander';
import { ExecFailed } from '../../../engine/types.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { CliError, failed, usageError } from '../../errors.js';
import { globalsOf } from '../shared.js';
import { attached, notHere, orTasks, taskTarget } from './common.js';

export interface TaskExecOptions {
  globals: GlobalOptions;
  task: string;
  cmd: string;
  args: string[];
  interactive?: boolean;
  tty?: boolean;
}

export function register(task: Command, deps: CliDeps): void {
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
    .action(async (name: string, command: string, args: string[], o: { interactive?: boolean; tty?: boolean }, cmd: Command) => {
      const code = await run({ globals: globalsOf(cmd), task: name, cmd: command, args, ...o }, deps);
      if (code !== 0) throw new CliError(`command exited with code ${code}`, 1, code);
    });
}

/** Runs the command, its output passed on through deps.io; resolves to its exit code. */
export async function run(o: TaskExecOptions, deps: CliDeps): Promise<number> {
  const target = await taskTarget(deps, o.globals);
  if ('remote' in target) {
    if (o.interactive || o.tty) throw usageError(`not supported: -i/-t through the API (--url/SVC_URL); run svc task exec -it ${o.task} on the machine where the service is installed`);
    const c = await deps.client(o.globals);
    return orTasks(c, o.task, () => c.execRemote(o.task, o.cmd, o.args, (stream, text) => (stream === 'stdout' ? deps.io.out(text) : deps.io.err(text))));
  }
  if (o.tty && !deps.io.canPrompt) throw usageError('-t needs a terminal on stdin and stdout');
  const session = target.local.exec(o.task, { cmd: o.cmd, args: o.args }, { tty: !!o.tty, stdin: o.interactive ? 'inherit' : 'none' });
  if (!session) throw notHere(o.task, target.local);
  return attached(session, deps, !!o.tty).catch((e: unknown) => {
    throw e instanceof ExecFailed ? failed(`${o.task}: ${e.message}`) : e;
  });
}

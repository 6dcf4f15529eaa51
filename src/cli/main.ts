// The `svc` program: wires commands, runs one, and is the only place that decides the exit code
// (bin.ts, the process entry, applies it). Importing this module runs nothing.
import { Command, CommanderError, Option } from 'commander';
import { makeDeps, type CliDeps, type GlobalOptions } from './deps.js';
import { toCliError, usageError } from './errors.js';
import { processIo } from './io.js';
import { register as registerLifecycle } from './commands/lifecycle.js';
import { register as registerPlan } from './commands/plan.js';
import { register as registerPod } from './commands/pod.js';
import { register as registerTask } from './commands/task.js';
import { register as registerConfig } from './commands/config.js';
import { register as registerState } from './commands/state.js';
import { register as registerDebug } from './commands/debug.js';
import { register as registerDescribe } from './commands/describe.js';
import { register as registerSpec } from './commands/spec.js';
import { register as registerCompletion } from './commands/completion.js';
import { register as registerHelp } from './commands/help.js';
import { register as registerImages } from './commands/images/register.js';
import { examples } from './commands/shared.js';

declare const SVC_VERSION: string;

/** Options of the program that every command also accepts after its own name (`svc plan list --name x`). */
const GLOBALS: ReadonlyArray<{ flags: string; key: keyof GlobalOptions; description: string }> = [
  { flags: '--name <service>', key: 'name', description: 'service to act on (default: $SVC_SERVICE, or the only installed one)' },
  { flags: '--url <url>', key: 'url', description: 'talk to the scheduler API at this URL instead (e.g. http://host/service/<name>)' },
  { flags: '--token <token>', key: 'token', description: 'API token to use with --url (default: $SVC_TOKEN)' },
  { flags: '-v, --verbose', key: 'verbose', description: 'print each HTTP request and response on stderr' },
];

/** `svc plan show` for a command: its names from the program down. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every command under `root`, depth first, in registration order. */
export function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}

export function buildProgram(deps: CliDeps): Command {
  const program = new Command('svc')
    .description('Run stateful services from one declarative svc.yml')
    .version(typeof SVC_VERSION === 'string' ? SVC_VERSION : 'dev', '-V, --version', 'print the version of svc')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false);
  for (const g of GLOBALS) program.option(g.flags, g.description);
  program
    .option('--json', "print the API's JSON (for commands that read)")
    .showSuggestionAfterError()
    .enablePositionalOptions()
    .addHelpText('after', '\nHelp topics: svc help plans | specs | exit-codes | environment');
  examples(program, 'svc install examples/hello-world', 'svc plan show deploy', 'svc pod status', 'svc describe', 'svc uninstall hello-world --yes');

  registerLifecycle(program, deps);
  registerPlan(program, deps);
  registerPod(program, deps);
  registerTask(program, deps);
  registerConfig(program, deps);
  registerState(program, deps);
  registerDebug(program, deps);
  registerDescribe(program, deps);
  registerSpec(program, deps);
  registerCompletion(program, deps);
  registerImages(program, deps);
  registerHelp(program, deps);

  for (const cmd of [program, ...allCommands(program)]) {
    const path = commandPath(cmd);
    cmd
      .exitOverride()
      .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
      .configureOutput({
        writeOut: (s) => deps.io.out(s),
        writeErr: (s) => deps.io.err(s),
        // commander's message on one line, with where to look next
        outputError: (s, write) => write(`svc: ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see: svc ${path ? `${path} ` : ''}--help)\n`),
      });
  }

  // Every command accepts the global options after its name too (hidden in its help). They are
  // added to the branch a command line goes down only, which keeps `svc --help` fast.
  const acceptGlobals = (cmd: Command): void => {
    for (const g of GLOBALS) cmd.addOption(new Option(g.flags, g.description).hideHelp());
    cmd.commands.forEach(acceptGlobals);
  };
  program.hook('preSubcommand', (_root, sub) => acceptGlobals(sub));

  // Global options given after a command name count as if given before it; a global --json reaches
  // the command's own --json.
  program.hook('preAction', (_root, action) => {
    const chain: Command[] = [];
    for (let c: Command | null = action; c && c !== program; c = c.parent) chain.unshift(c);
    for (const c of chain) for (const g of GLOBALS) if (c.getOptionValue(g.key) !== undefined) program.setOptionValue(g.key, c.getOptionValue(g.key));
    if (program.getOptionValue('json')) {
      if (!action.options.some((o) => o.long === '--json')) throw usageError(`"svc ${commandPath(action)}" has no --json output`);
      action.setOptionValue('json', true);
    }
  });
  return program;
}

/** Runs one command line; returns the exit code. `deps` is for tests. */
export async function main(argv: string[], deps: CliDeps = makeDeps(processIo(), process.env)): Promise<number> {
  const program = buildProgram(deps);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    // --help and --version exit 0; commander has already printed any usage problem
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const err = toCliError(e, !!program.opts<GlobalOptions>().verbose);
    if (err.passThrough !== undefined) return err.passThrough;
    deps.io.err(`svc: ${err.message}\n`);
    return err.exitCode;
  }
}

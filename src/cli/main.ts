// The `svc` program: wires commands, runs one, and is the only place that sets the exit code.
import { Command, CommanderError } from 'commander';
import { makeDeps } from './deps.js';
import { toCliError } from './errors.js';
import { processIo } from './io.js';
import { register as registerLifecycle } from './commands/lifecycle.js';
import { register as registerPlan } from './commands/plan.js';
import { register as registerPod } from './commands/pod.js';
import { register as registerTask } from './commands/task.js';

declare const SVC_VERSION: string;

export function buildProgram(deps: ReturnType<typeof makeDeps>): Command {
  const program = new Command('svc')
    .description('Run stateful services from one declarative svc.yml')
    .version(typeof SVC_VERSION === 'string' ? SVC_VERSION : 'dev', '-V, --version')
    .option('--name <service>', 'service to act on (default: $SVC_SERVICE, or the only installed one)')
    .option('--url <url>', 'talk to the scheduler API at this URL instead (e.g. http://host/service/<name>)')
    .option('--token <token>', 'API token to use with --url (default: $SVC_TOKEN)')
    .option('-v, --verbose', 'print each HTTP request and response on stderr')
    .showSuggestionAfterError()
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (s) => deps.io.out(s), writeErr: (s) => deps.io.err(s) })
    .addHelpText(
      'after',
      '\nExamples:\n  svc install examples/hello-world\n  svc plan show deploy\n  svc pod status\n  svc uninstall hello-world --yes\n',
    );
  registerLifecycle(program, deps);
  registerPlan(program, deps);
  registerPod(program, deps);
  registerTask(program, deps);
  for (const cmd of program.commands) {
    cmd.exitOverride();
    for (const sub of cmd.commands) sub.exitOverride();
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const deps = makeDeps(io, process.env);
  const program = buildProgram(deps);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; commander has already printed the usage problem
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    }
    const err = toCliError(e);
    if (err.passThrough !== undefined) return err.passThrough;
    io.err(`svc: ${err.message}\n`);
    return err.exitCode;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});

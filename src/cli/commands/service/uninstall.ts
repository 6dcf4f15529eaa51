// svc uninstall <service>: kill every task, release everything, stop the scheduler; asks first.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { failed, interrupted, usageError } from '../../errors.js';
import { examples } from '../shared.js';

export interface UninstallOptions {
  service: string;
  yes?: boolean;
  /** A service that is not installed is success (exit 0), for scripts that must be idempotent. */
  ignoreNotFound?: boolean;
}

export function register(program: Command, deps: CliDeps): void {
  examples(
    program
      .command('uninstall')
      .description('kill all tasks, release reservations, wipe state and stop the scheduler')
      .argument('<service>', 'service name (see: svc services)')
      .option('-y, --yes', 'do not ask for confirmation')
      .option('--ignore-not-found', 'succeed (exit 0) when the service is not installed'),
    'svc uninstall hello-world          # asks you to type the name',
    'svc uninstall hello-world --yes',
    'svc uninstall hello-world --yes --ignore-not-found   # in scripts',
  ).action(async (service: string, o: { yes?: boolean; ignoreNotFound?: boolean }) => {
    await run({ service, ...o }, deps);
  });
}

/** Resolves to the name of the service removed (`removed` false when --ignore-not-found found none). */
export async function run(opts: UninstallOptions, deps: CliDeps): Promise<{ name: string; removed: boolean }> {
  const name = opts.service;
  const launcher = await deps.launcher();
  try {
    launcher.checkInstalled(name);
  } catch (e) {
    if (opts.ignoreNotFound && (e as { kind?: string }).kind === 'not-found') {
      deps.io.err(`service ${name} is not installed; nothing to uninstall\n`);
      return { name, removed: false };
    }
    throw e;
  }
  if (!opts.yes) {
    if (!deps.io.canPrompt) throw usageError(`refusing to uninstall ${name} without --yes when not running interactively`);
    const typed = await deps.prompter.input(`This destroys ${name} and all its data. Type the service name to confirm:`);
    if (typed.trim() !== name) throw failed(`confirmation "${typed}" does not match "${name}"; nothing was changed`);
  }
  const spinner = await deps.io.spinner(`uninstalling ${name}`);
  let dispose = () => {};
  try {
    // Ctrl-C stops the waiting: the scheduler goes on with the uninstall plan, and running the
    // command again finishes the job (kills what is left, removes the folder)
    const stopped = new Promise<never>((_, reject) => {
      dispose = deps.io.onInterrupt(() => reject(interrupted(`stopped waiting; ${name} keeps uninstalling (svc services; run svc uninstall ${name} --yes again to finish)`)));
    });
    await Promise.race([launcher.uninstall(name, (t) => spinner.update(`uninstalling ${name}: ${t}`)), stopped]);
  } catch (e) {
    spinner.stop();
    throw e;
  } finally {
    dispose();
  }
  spinner.stop(`service ${name} uninstalled`);
  return { name, removed: true };
}

// svc update start: render the service again (new package options, or its edited svc.yml) and roll it out.
import type { Command } from 'commander';
import { selectHome, type CliDeps, type GlobalOptions } from '../../deps.js';
import type { PlanJson } from '../../../plan/json.js';
import { DEPLOY_SETTLE_MS, waitForPlan } from '../../wait.js';
import { failed, usageError } from '../../errors.js';
import type { UpdatePreview } from '../../launcher-port.js';
import { renderPreview } from './preview.js';
import { optionsOf, processStdin, type Stdin } from './options-input.js';
import { examples, globalsOf, positiveInt } from '../shared.js';

export interface UpdateStartOptions {
  globals: GlobalOptions;
  /** A JSON file, or `-`/`stdin` for standard input. */
  options?: string;
  /** The new options replace the stored ones instead of being merged over them. */
  replace?: boolean;
  wait?: boolean;
  timeout: number;
  /** Print what the update would change and which pods would roll; change nothing. */
  dryRun?: boolean;
}

export function register(update: Command, deps: CliDeps): void {
  examples(
    update
      .command('start')
      .description('render the service again (with new package options, or its edited svc.yml), validate it, and roll it out')
      .option('--options <file>', "package options (JSON), merged over the current ones; '-' (or 'stdin') reads them from stdin")
      .option('--replace', "the new options replace the current ones instead of being merged (without --options: back to the package's defaults)")
      .option('--dry-run', 'print what would change (options, spec values) and which pods would roll; change nothing')
      .option('--wait', 'wait for the rollout to complete, showing progress')
      .option('--timeout <seconds>', 'how long to wait with --wait', positiveInt, 600),
    'svc update start --options more-memory.json --dry-run',
    'svc update start --options more-memory.json --wait',
    'svc update start --replace --options - < all-options.json',
    'svc --name hello-world update start      # after editing its svc.yml',
  ).action(async (o: Omit<UpdateStartOptions, 'globals'>, cmd: Command) => {
    await run({ ...o, globals: globalsOf(cmd) }, deps);
  });
}

export async function run(opts: UpdateStartOptions, deps: CliDeps, stdin: () => Stdin = processStdin): Promise<{ name: string; deploy?: PlanJson; preview?: UpdatePreview }> {
  const launcher = await deps.launcher();
  const home = await selectHome(deps, opts.globals);
  const { name } = home;
  const replace = !!opts.replace;
  if (replace && home.info()?.source.kind !== 'package') throw usageError(`--replace: ${name} was installed from a plain spec and has no package options to replace`);
  const options = await optionsOf(opts.options, deps, stdin);
  if (opts.dryRun) {
    const preview = await launcher.previewUpdate(name, options, replace);
    deps.io.out(renderPreview(preview));
    if (preview.issues.length > 0) throw failed(`update of ${name} would be rejected (see above); nothing was changed`);
    return { name, preview };
  }
  const { client } = await launcher.update(name, options, replace);
  deps.io.err(`update of ${name} accepted; rolling out\n`);
  if (!opts.wait) return { name };
  return { name, deploy: await waitForPlan(deps.io, client, 'deploy', { timeoutMs: opts.timeout * 1000, keepsGoing: `${name} keeps updating`, settleMs: DEPLOY_SETTLE_MS }) };
}

// svc completion bash|zsh|fish: the shell completion script, generated from this program's commands.
import { Argument, Option, type Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { usageError } from '../../errors.js';
import { examples } from '../shared.js';

type Shell = 'bash' | 'zsh' | 'fish';

export interface CompletionOptions {
  /** The program whose commands are completed. */
  program: Command;
  shell?: Shell;
  /** Write every script into this folder instead (npm run completions). */
  writeAll?: string;
}

export function register(program: Command, deps: CliDeps): void {
  examples(
    program
      .command('completion')
      .description('print the shell completion script for bash, zsh or fish')
      .addArgument(new Argument('[shell]', 'your shell').choices(['bash', 'zsh', 'fish']))
      .addOption(new Option('--write-all <dir>', 'write every script to <dir> (for npm run completions)').hideHelp()),
    'source <(svc completion bash)                       # in ~/.bashrc',
    'svc completion zsh > "${fpath[1]}/_svc"             # then restart zsh',
    'svc completion fish > ~/.config/fish/completions/svc.fish',
  ).action(async (shell: Shell | undefined, o: { writeAll?: string }) => {
    const r = await run({ program, shell, writeAll: o.writeAll }, deps);
    if ('script' in r) deps.io.out(r.script);
    else deps.io.err(`wrote ${r.written.join(', ')}\n`);
  });
}

/** The script for one shell, or the files written with writeAll. */
export async function run(opts: CompletionOptions, _deps: CliDeps): Promise<{ script: string } | { written: string[] }> {
  const { completionScript, COMPLETION_FILES, SHELLS } = await import('../../completion.js');
  if (opts.writeAll) {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = opts.writeAll;
    mkdirSync(dir, { recursive: true });
    for (const sh of SHELLS) writeFileSync(join(dir, COMPLETION_FILES[sh]), completionScript(sh, opts.program));
    return { written: SHELLS.map((sh) => join(dir, COMPLETION_FILES[sh])) };
  }
  if (!opts.shell) throw usageError('which shell? svc completion bash|zsh|fish');
  return { script: completionScript(opts.shell, opts.program) };
}

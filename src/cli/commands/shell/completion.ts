// svc completion bash|zsh|fish: the shell completion script, generated from this program's commands.
import { Argument, Option, type Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { usageError } from '../../errors.js';
import { examples } from '../shared.js';

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
  ).action(async (shell: 'bash' | 'zsh' | 'fish' | undefined, o: { writeAll?: string }) => {
    const { completionScript, COMPLETION_FILES, SHELLS } = await import('../../completion.js');
    if (o.writeAll) {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      mkdirSync(o.writeAll, { recursive: true });
      for (const sh of SHELLS) writeFileSync(join(o.writeAll, COMPLETION_FILES[sh]), completionScript(sh, program));
      return deps.io.err(`wrote ${SHELLS.map((sh) => join(o.writeAll as string, COMPLETION_FILES[sh])).join(', ')}\n`);
    }
    if (!shell) throw usageError('which shell? svc completion bash|zsh|fish');
    deps.io.out(completionScript(shell, program));
  });
}

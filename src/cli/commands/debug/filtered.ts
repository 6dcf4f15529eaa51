// The debug views filtered by plan, phase and step: their shared flags.
import type { Command } from 'commander';
import type { DebugFilter } from '../../../client/index.js';

export function filterOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print JSON (the default)')
    .option('--plan <plan>', 'only this plan')
    .option('--phase <phase>', 'only this phase (with --plan)')
    .option('--step <step>', 'only this step (with --plan and --phase)');
}

export const filterOf = (o: DebugFilter): DebugFilter => ({ plan: o.plan, phase: o.phase, step: o.step });

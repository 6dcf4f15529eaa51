// svc debug offers | plans | task-statuses | reservations — the scheduler's views for diagnosis.
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { renderOffers } from '../render/offers.js';
import { apiJson, examples } from './shared.js';

export function register(program: Command, deps: CliDeps): void {
  const client = () => deps.client(program.opts<GlobalOptions>());
  const debug = examples(
    program.command('debug').description('what the scheduler sees: placement decisions, plans, task statuses, reservations'),
    'svc debug offers',
    'svc debug task-statuses',
  );
  debug
    .command('offers')
    .description('why steps were placed or not: the last 100 placement evaluations, counted by reason')
    .option('--json', "print the API's JSON (GET /v2/debug/offers)")
    .addHelpText('after', '\nExamples:\n  svc debug offers\n  svc debug offers --json\n')
    .action(async (o: { json?: boolean }) => {
      const res = await (await client()).debugOffers();
      if (o.json) return deps.io.out(apiJson(res));
      deps.io.out(renderOffers(res.body, await deps.io.colors()));
    });
  const filtered = [
    ['plans', 'the scheduler state and every plan with its step counts and step errors', 'debugPlans'],
    ['task-statuses', 'the last status of each task, by plan, phase and step', 'debugTaskStatuses'],
  ] as const;
  for (const [name, description, method] of filtered) {
    debug
      .command(name)
      .description(`${description} (JSON)`)
      .option('--json', 'print JSON (the default)')
      .option('--plan <plan>', 'only this plan')
      .option('--phase <phase>', 'only this phase (with --plan)')
      .option('--step <step>', 'only this step (with --plan and --phase)')
      .addHelpText('after', `\nExamples:\n  svc debug ${name}\n  svc debug ${name} --plan deploy --phase hello\n`)
      .action(async (o: { plan?: string; phase?: string; step?: string }) => deps.io.out(apiJson(await (await client())[method]({ plan: o.plan, phase: o.phase, step: o.step }))));
  }
  debug
    .command('reservations')
    .description('reserved resources, by agent hostname (JSON)')
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc debug reservations\n')
    .action(async () => deps.io.out(apiJson(await (await client()).debugReservations())));
}

// svc plan list | show | start | stop | pause | resume | force-restart | force-complete
import type { Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../deps.js';
import { ApiError } from '../../client/errors.js';
import { failed, usageError } from '../errors.js';
import { renderPlanTree } from '../render/tree.js';
import { waitForPlan } from '../wait.js';
import { apiJson, examples, positiveInt } from './shared.js';

/** `-p KEY=VALUE`, split at the first `=`; later duplicates win. */
export function parseParam(v: string, acc: Record<string, string> = {}): Record<string, string> {
  const eq = v.indexOf('=');
  if (eq <= 0) throw usageError(`-p ${v}: must be KEY=VALUE (one variable name and one value per -p)`);
  return { ...acc, [v.slice(0, eq)]: v.slice(eq + 1) };
}

const ALREADY = 'Cannot execute command. Command has already been issued or the plan has completed';

export function register(program: Command, deps: CliDeps): void {
  const plan = examples(
    program.command('plan').alias('plans').description('show and drive plans: deploy, recovery, and the custom plans of the spec'),
    'svc plan list',
    'svc plan show deploy',
    'svc plan start sidecar -p PLAN_PARAMETER=hello --wait',
  );
  const g = () => program.opts<GlobalOptions>();
  const client = () => deps.client(g());

  // An unknown plan is answered with the plans there are.
  const orPlans = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && e.body.trim() === `Plan ${name} not found`) {
        const { body } = await (await client()).plans();
        throw failed(`plan "${name}" not found; plans: ${body.join(', ')}`);
      }
      throw e;
    }
  };

  /** Runs a plan command and prints the original CLI's sentence for it. */
  const command = async (name: string, kind: Parameters<Awaited<ReturnType<typeof client>>['planCommand']>[1], what: string, query: { phase?: string; step?: string } = {}, body?: Record<string, string>) => {
    const res = await orPlans(name, async () => (await client()).planCommand(name, kind, query, body));
    if (res.status === 208) throw failed(ALREADY);
    const ok = typeof res.body === 'object' && !!res.body.message;
    deps.io.out(`${what.replace('%s', ok ? 'has been' : 'could not be')}\n`);
  };
  const target = (name: string, phase?: string, step?: string) =>
    step ? `"${name}" plan: step "${step}" in phase "${phase}"` : phase ? `"${name}" plan: phase "${phase}"` : `"${name}" plan`;

  plan
    .command('list')
    .description("names of the service's plans (JSON)")
    .option('--json', 'print JSON (the default)')
    .addHelpText('after', '\nExamples:\n  svc plan list\n  svc --name memcache plan list\n')
    .action(async () => {
      deps.io.out(apiJson(await (await client()).plans()));
    });
  plan
    .command('show')
    .alias('status')
    .description('a plan as a tree of phases and steps')
    .argument('<plan>', 'plan name, e.g. deploy')
    .option('--json', "print the API's JSON")
    .option('-w, --watch', 'redraw the tree until the plan is complete')
    .addHelpText('after', '\nExamples:\n  svc plan show deploy\n  svc plan show deploy --json\n  svc plan show flush-all-serial --watch\n')
    .action(async (name: string, o: { json?: boolean; watch?: boolean }) => {
      const c = await client();
      const colors = await deps.io.colors();
      for (;;) {
        const res = await orPlans(name, () => c.plan(name));
        const body = res.body;
        const out = o.json ? apiJson(res) : renderPlanTree(name, body, colors);
        deps.io.out(o.watch && deps.io.isStdoutTTY ? `\x1b[2J\x1b[H${out}` : out);
        if (!o.watch || body.status === 'COMPLETE' || body.status === 'ERROR') return;
        await new Promise((r) => setTimeout(r, 500));
      }
    });
  plan
    .command('start')
    .description('start a plan (a sidecar plan, or restart a complete one), with parameters for its tasks')
    .argument('<plan>', 'plan name')
    .option('-p, --params <KEY=VALUE>', 'a parameter, exported to the plan\'s tasks as an env var (repeatable)', parseParam, {})
    .option('--wait', 'wait until the plan completes, showing progress')
    .option('--timeout <seconds>', 'how long to wait with --wait (default 600)', positiveInt, 600)
    .addHelpText('after', '\nExamples:\n  svc plan start flush-all-serial\n  svc plan start sidecar-parameterized -p PLAN_PARAMETER=hello --wait\n')
    .action(async (name: string, o: { params: Record<string, string>; wait?: boolean; timeout: number }) => {
      const c = await client();
      const res = await orPlans(name, () => c.planCommand(name, 'start', {}, o.params));
      if (res.status === 208) throw failed(ALREADY);
      deps.io.out(`"${name}" plan has been started.\n`);
      if (o.wait) await waitForPlan(deps.io, c, name, o.timeout * 1000);
    });
  plan
    .command('stop')
    .description('interrupt a plan and reset its steps to PENDING')
    .argument('<plan>', 'plan name')
    .addHelpText('after', '\nExamples:\n  svc plan stop sidecar\n')
    .action((name: string) => command(name, 'stop', `"${name}" plan %s stopped.`));
  plan
    .command('pause')
    .alias('interrupt')
    .description('pause a plan, or one phase: running steps finish, no new ones start')
    .argument('<plan>', 'plan name')
    .argument('[phase]', 'phase name or id')
    .addHelpText('after', '\nExamples:\n  svc plan pause deploy\n  svc plan pause deploy hello\n')
    .action((name: string, phase?: string) => command(name, 'interrupt', `${target(name, phase)} %s paused.`, { phase }));
  plan
    .command('resume')
    .alias('continue')
    .description('resume a paused plan or phase (and release the next canary step)')
    .argument('<plan>', 'plan name')
    .argument('[phase]', 'phase name or id')
    .addHelpText('after', '\nExamples:\n  svc plan resume deploy\n  svc plan resume deploy hello      # the next step of a canary phase\n')
    .action((name: string, phase?: string) => command(name, 'continue', `${target(name, phase)} %s resumed.`, { phase }));
  plan
    .command('force-restart')
    .alias('restart')
    .description('reset a plan, a phase or one step to PENDING, so it runs again')
    .argument('<plan>', 'plan name')
    .argument('[phase]', 'phase name or id')
    .argument('[step]', 'step name or id')
    .addHelpText('after', '\nExamples:\n  svc plan force-restart deploy\n  svc plan force-restart deploy hello hello-0:[server]\n')
    .action((name: string, phase?: string, step?: string) => {
      if (step && !phase) throw usageError('a step needs its phase');
      return command(name, 'restart', `${target(name, phase, step)} %s restarted.`, { phase, step });
    });
  plan
    .command('force-complete')
    .alias('force')
    .description('mark one step COMPLETE without running it')
    .argument('<plan>', 'plan name')
    .argument('<phase>', 'phase name or id')
    .argument('<step>', 'step name or id')
    .addHelpText('after', '\nExamples:\n  svc plan force-complete deploy hello hello-1:[server]\n')
    .action((name: string, phase: string, step: string) => command(name, 'forceComplete', `${target(name, phase, step)} %s forced to complete.`, { phase, step }));
}

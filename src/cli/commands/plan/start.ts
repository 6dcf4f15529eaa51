// svc plan start <plan> [-p K=V]... [--wait]: start a plan with parameters for its tasks.
import type { Command } from 'commander';
import type { PlanJson } from '../../../plan/json.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { failed, usageError } from '../../errors.js';
import { waitForPlan } from '../../wait.js';
import { examples, globalsOf, positiveInt } from '../shared.js';
import { ALREADY, orPlans } from './common.js';

/** `-p KEY=VALUE`, split at the first `=`; later duplicates win. */
export function parseParam(v: string, acc: Record<string, string> = {}): Record<string, string> {
  const eq = v.indexOf('=');
  if (eq <= 0) throw usageError(`-p ${v}: must be KEY=VALUE (one variable name and one value per -p)`);
  return { ...acc, [v.slice(0, eq)]: v.slice(eq + 1) };
}

export interface PlanStartOptions {
  globals: GlobalOptions;
  plan: string;
  params: Record<string, string>;
  wait?: boolean;
  timeout: number;
}

export function register(plan: Command, deps: CliDeps): void {
  examples(
    plan
      .command('start')
      .description('start a plan (a sidecar plan, or restart a complete one), with parameters for its tasks')
      .argument('<plan>', 'plan name')
      .option('-p, --params <KEY=VALUE>', "a parameter, exported to the plan's tasks as an env var (repeatable)", parseParam, {})
      .option('--wait', 'wait until the plan completes, showing progress')
      .option('--timeout <seconds>', 'how long to wait with --wait', positiveInt, 600),
    'svc plan start flush-all-serial',
    'svc plan start sidecar-parameterized -p PLAN_PARAMETER=hello --wait',
  ).action(async (name: string, o: Omit<PlanStartOptions, 'globals' | 'plan'>, cmd: Command) => {
    await run({ ...o, plan: name, globals: globalsOf(cmd) }, deps);
  });
}

/** Resolves to the completed plan with --wait. */
export async function run(opts: PlanStartOptions, deps: CliDeps): Promise<PlanJson | undefined> {
  const c = await deps.client(opts.globals);
  // the API takes a start of a running plan as new parameters for its remaining steps, silently
  const before = (await orPlans(c, opts.plan, () => c.plan(opts.plan))).body;
  if (before.status === 'IN_PROGRESS' || before.status === 'STARTING') {
    const steps = before.phases.flatMap((p) => p.steps);
    throw failed(`plan "${opts.plan}" is already in progress (${steps.filter((s) => s.status === 'COMPLETE').length}/${steps.length} steps complete); nothing was started (watch it: svc plan show ${opts.plan} --watch)`);
  }
  const res = await orPlans(c, opts.plan, () => c.planCommand(opts.plan, 'start', {}, opts.params));
  if (res.status === 208) throw failed(ALREADY);
  deps.io.out(`"${opts.plan}" plan has been started.\n`);
  return opts.wait ? waitForPlan(deps.io, c, opts.plan, { timeoutMs: opts.timeout * 1000, keepsGoing: `plan ${opts.plan} keeps running` }) : undefined;
}

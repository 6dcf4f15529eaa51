// What the plan verbs share: an unknown plan answered with the plans there are, and the original
// CLI's sentence for a plan command.
import type { SvcClient } from '../../../client/index.js';
import { ApiError } from '../../../client/errors.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { failed } from '../../errors.js';
import { listOrNone } from '../shared.js';

export const ALREADY = 'Cannot execute command. Command has already been issued or the plan has completed';

/**
 * Runs `work`; a 404 naming the plan, phase or step becomes a sentence listing what there is:
 * `phase "nophase" not found in plan deploy; phases: hello, world`.
 */
export async function orPlans<T>(c: SvcClient, target: string | { plan: string; phase?: string; step?: string }, work: () => Promise<T>): Promise<T> {
  const t = typeof target === 'string' ? { plan: target } : target;
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
    const body = e.body.trim();
    if (body === `Plan ${t.plan} not found`) throw failed(`plan "${t.plan}" not found; plans: ${listOrNone((await c.plans()).body)}`);
    const { phases } = (await c.plan(t.plan)).body;
    if (t.phase !== undefined && body === `Phase ${t.phase} not found`) {
      throw failed(`phase "${t.phase}" not found in plan ${t.plan}; phases: ${listOrNone(phases.map((p) => p.name))}`);
    }
    if (t.step !== undefined && body === `Step ${t.step} not found`) {
      const phase = phases.find((p) => p.name === t.phase || p.id === t.phase);
      throw failed(`step "${t.step}" not found in phase ${t.phase} of plan ${t.plan}; steps: ${listOrNone((phase?.steps ?? []).map((s) => s.name))}`);
    }
    throw e;
  }
}

export type PlanCommand = Parameters<SvcClient['planCommand']>[1];

export interface PlanTarget {
  globals: GlobalOptions;
  plan: string;
  phase?: string;
  step?: string;
}

/** `"deploy" plan: step "s" in phase "p"` */
export const targetText = (t: { plan: string; phase?: string; step?: string }): string =>
  t.step ? `"${t.plan}" plan: step "${t.step}" in phase "${t.phase}"` : t.phase ? `"${t.plan}" plan: phase "${t.phase}"` : `"${t.plan}" plan`;

/**
 * Sends a plan command; resolves to whether the scheduler accepted it (it answers a message when
 * it did). 208 means there was nothing left to do: that is a failure for the operator.
 */
export async function planCommand(deps: CliDeps, t: PlanTarget, kind: PlanCommand): Promise<{ accepted: boolean }> {
  const c = await deps.client(t.globals);
  const res = await orPlans(c, t, () => c.planCommand(t.plan, kind, { phase: t.phase, step: t.step }));
  if (res.status === 208) throw failed(ALREADY);
  return { accepted: typeof res.body === 'object' && !!res.body.message };
}

/** "… has been paused." or "… could not be paused." */
export const outcome = (t: PlanTarget, done: string, r: { accepted: boolean }): string => `${targetText(t)} ${r.accepted ? 'has been' : 'could not be'} ${done}.\n`;

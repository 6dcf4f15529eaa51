// What the plan verbs share: an unknown plan answered with the plans there are, and the original
// CLI's sentence for a plan command.
import type { SvcClient } from '../../../client/index.js';
import { ApiError } from '../../../client/errors.js';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { failed } from '../../errors.js';

export const ALREADY = 'Cannot execute command. Command has already been issued or the plan has completed';

/** Runs `work`; a 404 for the plan becomes "plan "x" not found; plans: …". */
export async function orPlans<T>(c: SvcClient, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && e.body.trim() === `Plan ${name} not found`) {
      const { body } = await c.plans();
      throw failed(`plan "${name}" not found; plans: ${body.join(', ')}`);
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
  const res = await orPlans(c, t.plan, () => c.planCommand(t.plan, kind, { phase: t.phase, step: t.step }));
  if (res.status === 208) throw failed(ALREADY);
  return { accepted: typeof res.body === 'object' && !!res.body.message };
}

/** "… has been paused." or "… could not be paused." */
export const outcome = (t: PlanTarget, done: string, r: { accepted: boolean }): string => `${targetText(t)} ${r.accepted ? 'has been' : 'could not be'} ${done}.\n`;

// Writes a line to the scheduler's log when a plan's status changes (`plan deploy: IN_PROGRESS -> COMPLETE`),
// so the log holds the plan transitions beside launches and failures: `svc events` reads them from there.
import { planStatus } from '../plan/plan.js';
import type { Scheduler } from '../scheduler/scheduler.js';

/** The line `svc events` recognises: `plan deploy: PENDING -> IN_PROGRESS`, or `plan deploy: -> COMPLETE` when first seen. */
export const planTransitionLine = (plan: string, from: string | undefined, to: string): string => `plan ${plan}: ${from ?? ''}${from ? ' ' : ''}-> ${to}`;

/** Checks every `everyMs`; a transition is logged once, with the time it was seen. Returns a stop function. */
export function logPlanTransitions(scheduler: Scheduler, log: (msg: string) => void, everyMs = 250): () => void {
  const last = new Map<string, string>();
  const check = () => {
    for (const name of scheduler.planNames()) {
      const plan = scheduler.plan(name);
      if (!plan) continue;
      const status = planStatus(plan);
      const before = last.get(name);
      if (before !== status) log(planTransitionLine(name, before, status));
      last.set(name, status);
    }
  };
  const timer = setInterval(check, everyMs);
  timer.unref();
  check();
  return () => clearInterval(timer);
}

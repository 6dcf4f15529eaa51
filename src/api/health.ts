// GET /v1/health: the status code is the answer (rest-api.md §8).
import { allSteps, planErrors, planStatus, stepDisplayStatus, type Plan } from '../plan/index.js';
import type { SchedulerView } from './scheduler-view.js';

export interface Health {
  value: number;
  reasons: string[];
}

/** The plan is not complete and one of its steps shows one of these statuses. */
const has = (plan: Plan | undefined, ...statuses: string[]) =>
  !!plan && planStatus(plan) !== 'COMPLETE' && allSteps(plan).some((st) => statuses.includes(stepDisplayStatus(st)));

export function healthOf(s: SchedulerView): Health {
  const plans = s.planNames().flatMap((n) => s.plan(n) ?? []);
  const deploy = s.plan('deploy');
  const recovery = s.plan('recovery');
  const rules: Array<[number, string, boolean]> = [
    [500, 'errors in plans', plans.some((p) => planErrors(p).length > 0)],
    [318, 'no framework id', !s.frameworkId()],
    [208, 'deploy has DELAYED steps', has(deploy, 'DELAYED')],
    [204, 'deploy has PENDING/PREPARED steps', has(deploy, 'PENDING', 'PREPARED')],
    [202, 'deploy has STARTING/STARTED steps', has(deploy, 'STARTING', 'STARTED')],
    [207, 'deploy is waiting for the user', !!deploy && (deploy.interrupted || allSteps(deploy).some((st) => st.interrupted))],
    [208, 'recovery has DELAYED steps', has(recovery, 'DELAYED')],
    [203, 'recovery has PENDING/PREPARED steps', has(recovery, 'PENDING', 'PREPARED')],
    [205, 'recovery has STARTING/STARTED steps', has(recovery, 'STARTING', 'STARTED')],
    [200, 'deploy complete', !!deploy && allSteps(deploy).every((st) => st.status === 'COMPLETE')],
  ];
  const hit = rules.find(([, , when]) => when);
  return {
    value: hit ? hit[0] : 503,
    reasons: rules.map(([code, what, when]) => `Status Code ${code} is ${when ? 'TRUE' : 'FALSE'}: ${what}.`),
  };
}

// /v1/plans (rest-api.md §2).
import { planStatus, planToJson, type Plan } from '../../plan/index.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { json, notFound, route, type Reply, type Route } from '../route.js';

function planReply(plan: Plan): Reply {
  const status = planStatus(plan);
  return json(planToJson(plan), status === 'ERROR' ? 417 : status === 'COMPLETE' ? 200 : 202);
}

export function planRoutes(s: Scheduler): Route[] {
  return [
    route('GET', '/v1/plans', () => json(s.planNames())),
    route('GET', '/v1/plans/:plan', ([name]) => {
      const plan = s.plan(name);
      return plan ? planReply(plan) : notFound('Plan', name);
    }),
    route('GET', '/v1/plan', () => planReply(s.plan('deploy') as Plan)),
  ];
}

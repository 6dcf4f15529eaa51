// /v1/plans (rest-api.md §2).
import { planStatus, planToJson, type Plan, type PlanCommand } from '../../plan/index.js';
import { stepPaused } from '../../scheduler/pause.js';
import type { SchedulerView } from '../scheduler-view.js';
import { json, notFound, parseJson, route, text, type Reply, type Route } from '../route.js';

function planReply(s: SchedulerView, plan: Plan): Reply {
  const status = planStatus(plan);
  return json(planToJson(plan, { paused: (step) => stepPaused(s.state, step) }), status === 'ERROR' ? 417 : status === 'COMPLETE' ? 200 : 202);
}

export function planRoutes(s: SchedulerView): Route[] {
  return [
    route('GET', '/v1/plans', () => json(s.planNames())),
    route('GET', '/v1/plans/:plan', ([name]) => {
      const plan = s.plan(name);
      return plan ? planReply(s, plan) : notFound('Plan', name);
    }),
    route('GET', '/v1/plan', () => planReply(s, s.plan('deploy') as Plan)),
    route('POST', '/v1/plans/:plan/start', ([name], _q, body) => {
      const params = body.trim() ? parseJson(body) : {};
      if (!params || typeof params !== 'object' || Array.isArray(params) || !Object.values(params).every((v) => typeof v === 'string')) {
        return text('body must be a JSON object of string values', 400);
      }
      return commandReply(s, name, { kind: 'start', parameters: params as Record<string, string> });
    }),
    route('POST', '/v1/plans/:plan/stop', ([name]) => commandReply(s, name, { kind: 'stop' })),
    ...(['interrupt', 'continue'] as const).map((kind) =>
      route('POST', `/v1/plans/:plan/${kind}`, ([name], q) => commandReply(s, name, { kind, phase: q.get('phase') ?? undefined })),
    ),
    ...(['forceComplete', 'restart'] as const).map((kind) =>
      route('POST', `/v1/plans/:plan/${kind}`, ([name], q) => commandReply(s, name, { kind, phase: q.get('phase') || undefined, step: q.get('step') || undefined })),
    ),
  ];
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The original's answers to a plan command (rest-api.md §2.6). */
function commandReply(s: SchedulerView, name: string, cmd: PlanCommand): Reply {
  const r = s.planCommand(name, cmd);
  switch (r.kind) {
    case 'done':
      return json({ message: r.message });
    case 'already':
      return text('Command has already been reported or completed', 208);
    case 'not-found':
      return notFound(capitalized(r.what), r.name);
    case 'missing-phase':
      return text('Missing phase', 400);
    case 'bad-parameter':
      return text(`Couldn't parse parameters: ${r.name} is not a valid environment variable name`, 400);
  }
}

// Operator aids: debug views and metrics (rest-api.md §9, §10).
import { allSteps, phaseStatus, planStatus, type Phase, type Plan, type Status, type Step, podInstanceName, taskFullName } from '../../plan/index.js';
import type { SchedulerView } from '../scheduler-view.js';
import { json, route, text, type Route } from '../route.js';

/** plan_status gauge values of the original: -1 error, 0 complete, 1 waiting/pending, 2 working. */
const statusGauge = (s: Status): number => (s === 'ERROR' ? -1 : s === 'COMPLETE' ? 0 : s === 'WAITING' || s === 'PENDING' || s === 'DELAYED' ? 1 : 2);

function metricsJson(s: SchedulerView) {
  const gauges: Record<string, { value: number | boolean }> = { is_suppressed: { value: s.metrics.suppressed } };
  for (const name of s.planNames()) {
    const plan = s.plan(name);
    if (plan) gauges[`plan_status.${name}`] = { value: statusGauge(planStatus(plan)) };
  }
  const counters: Record<string, { count: number }> = {};
  for (const [k, v] of s.metrics.snapshot()) counters[k] = { count: v };
  return { version: '3.1.3', gauges, counters, histograms: {}, meters: {}, timers: s.metrics.timerSnapshot() };
}

function prometheus(s: SchedulerView): string {
  const m = metricsJson(s);
  const lines: string[] = [];
  const emit = (name: string, kind: string, value: number) => {
    const n = name.replace(/[^a-zA-Z0-9_]/g, '_');
    lines.push(`# HELP ${n} ${kind} ${name}`, `# TYPE ${n} gauge`, `${n} ${value}`);
  };
  for (const [k, v] of Object.entries(m.gauges)) emit(k, 'gauge', Number(v.value));
  for (const [k, v] of Object.entries(m.counters)) emit(k, 'counter', v.count);
  // timers as the original's exporter wrote them: a summary with quantiles and a count
  for (const [k, t] of Object.entries(m.timers)) {
    const n = k.replace(/[^a-zA-Z0-9_]/g, '_');
    lines.push(`# HELP ${n} timer ${k}`, `# TYPE ${n} summary`);
    for (const [q, v] of [['0.5', t.p50], ['0.75', t.p75], ['0.95', t.p95], ['0.98', t.p98], ['0.99', t.p99], ['0.999', t.p999]] as const) lines.push(`${n}{quantile="${q}",} ${v}`);
    lines.push(`${n}_count ${t.count}`);
  }
  const tasks = s.tasks();
  emit('tasks.total', 'gauge', tasks.length);
  emit('tasks.running', 'gauge', tasks.filter((t) => t.status?.state === 'TASK_RUNNING').length);
  return lines.join('\n') + '\n';
}

/** "Running" as rest-api.md §2.3 defines it. */
const isRunning = (st: Status | undefined) => st === 'PREPARED' || st === 'STARTING' || st === 'STARTED' || st === 'IN_PROGRESS';

/** §10: later conditions override earlier ones. */
function schedulerState(s: SchedulerView): string {
  const status = (name: string) => {
    const plan = s.plan(name);
    return plan && planStatus(plan);
  };
  let state = 'RUNNING';
  if (isRunning(status('deploy'))) state = 'DEPLOYING';
  if (status('deploy') === 'COMPLETE' || s.state.property('deployment-completed') === 'true') state = 'DEPLOYED';
  if (isRunning(status('recovery'))) state = 'RECOVERING';
  if (isRunning(status('decommission'))) state = 'DECOMMISSIONING';
  return state;
}

/** A plan with the phases and steps the filters kept. */
function planSummary(name: string, plan: Plan, shown: ReadonlyArray<{ phase: Phase; steps: readonly Step[] }>) {
  const steps = allSteps(plan);
  return {
    name,
    status: planStatus(plan),
    strategy: plan.strategy,
    totalSteps: steps.length,
    completedSteps: steps.filter((st) => st.status === 'COMPLETE').length,
    phases: shown.map(({ phase, steps }) => ({
      name: phase.name,
      status: phaseStatus(phase),
      strategy: phase.strategy,
      steps: steps.map((st) => ({ name: st.name, status: st.status, errors: st.errors })),
    })),
  };
}

/** Every plan → phase → step, by name. */
function topology(name: string, plan: Plan) {
  return {
    name,
    type: 'plan',
    children: plan.phases.map((ph) => ({ name: ph.name, type: 'phase', children: ph.steps.map((st) => ({ name: st.name, type: 'step', children: null })) })),
  };
}

/** The last status of each task the step launches in its pod instance (none for steps that launch nothing). */
function stepTaskStatuses(s: SchedulerView, step: Step) {
  const pod = step.pod;
  if (!pod || step.action) return [];
  return step.tasks.map((task) => {
    const name = taskFullName(podInstanceName(pod.podType, pod.index), task);
    const status = s.state.task(name)?.status;
    return { name, taskStatus: status?.state ?? 'TASK_UNKNOWN', taskId: status?.taskId ?? '' };
  });
}

interface Filter {
  readonly plan?: string;
  readonly phase?: string;
  readonly step?: string;
}

const filterOf = (q: URLSearchParams): Filter => ({ plan: q.get('plan') ?? undefined, phase: q.get('phase') ?? undefined, step: q.get('step') ?? undefined });
const matches = (want: string | undefined, name: string) => want === undefined || want.toLowerCase() === name.toLowerCase();

/** Prunes plan → phase → step by the §10 filters (case-insensitive names); `totalSteps` still counts the whole plan. */
function pruned(plans: ReadonlyArray<{ name: string; plan: Plan }>, f: Filter) {
  return plans
    .filter((p) => matches(f.plan, p.name))
    .map(({ name, plan }) => ({
      name,
      plan,
      phases: plan.phases.filter((ph) => matches(f.phase, ph.name)).map((ph) => ({ phase: ph, steps: ph.steps.filter((st) => matches(f.step, st.name)) })),
    }));
}

/** The original's reasons for filters that name nothing (answered with 200, as it did). */
function invalidFilter(plans: ReadonlyArray<{ name: string; plan: Plan }>, f: Filter): string | undefined {
  if (f.step !== undefined && (f.phase === undefined || f.plan === undefined)) return 'Step specified without parent Phase and Plan values.';
  if (f.phase !== undefined && f.plan === undefined) return 'Phase specified without parent Plan.';
  const hits = pruned(plans, f);
  if (f.plan !== undefined && hits.length === 0) return 'Supplied plan not found in list of all available plans!';
  if (f.phase !== undefined && hits.every((p) => p.phases.length === 0)) return 'Supplied phase not found in set of possible phases with supplied plan!';
  if (f.step !== undefined && hits.every((p) => p.phases.every((ph) => ph.steps.length === 0))) return 'Supplied step not found in set of possible steps with supplied plan and phase!';
  return undefined;
}

export function debugRoutes(s: SchedulerView): Route[] {
  const plans = () => s.planNames().flatMap((n) => {
    const plan = s.plan(n);
    return plan ? [{ name: n, plan }] : [];
  });
  return [
    route('GET', '/v1/metrics', () => json(metricsJson(s))),
    route('GET', '/v1/metrics/prometheus', () => text(prometheus(s))),
    route('GET', '/v1/debug/plans', (_p, query) => {
      const all = plans();
      const filter = filterOf(query);
      const invalid = invalidFilter(all, filter);
      if (invalid) return json({ 'invalid-input': invalid });
      return json({
        schedulerState: schedulerState(s),
        activePlans: all.filter((p) => isRunning(planStatus(p.plan))).map((p) => p.name),
        plans: pruned(all, filter).map((p) => planSummary(p.name, p.plan, p.phases)),
        serviceTopology: all.map((p) => topology(p.name, p.plan)),
      });
    }),
    // filtered like /v1/debug/plans, but not validated (as in the original)
    route('GET', '/v1/debug/taskStatuses', (_p, query) =>
      json(
        pruned(plans(), filterOf(query)).map(({ name, phases }) => ({
          name,
          phases: phases.map(({ phase, steps }) => ({ name: phase.name, steps: steps.map((st) => ({ name: st.name, taskStatus: stepTaskStatuses(s, st) })) })),
        })),
      ),
    ),
    route('GET', '/v1/debug/reservations', () => {
      const out: Record<string, string[]> = {};
      for (const r of s.reservations()) {
        const host = s.agents().find((a) => a.id === r.agentId)?.hostname ?? r.agentId;
        (out[host] ??= []).push(r.id);
      }
      return json(out);
    }),
    route('GET', '/v2/debug/offers', () => json(s.offerLog())),
    // the original dumped JVM threads; our one thread's work is its plans and tasks
    route('GET', '/v1/debug/threads', () =>
      text(
        [
          `scheduler pid ${process.pid}, uptime ${Math.round(process.uptime())} s, rss ${Math.round(process.memoryUsage().rss / 1048576)} MB`,
          ...s.planNames().map((n) => `plan ${n}: ${planStatus(s.plan(n) as NonNullable<ReturnType<typeof s.plan>>)}`),
          ...s.tasks().map((t) => `task ${t.name}: ${t.status?.state ?? 'no status'} on ${t.agentId}`),
        ].join('\n') + '\n',
      ),
    ),
  ];
}

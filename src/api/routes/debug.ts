// Operator aids: debug views and metrics (rest-api.md §9, §10).
import { allSteps, planStatus, type Status } from '../../plan/index.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { json, route, text, type Route } from '../route.js';

/** plan_status gauge values of the original: -1 error, 0 complete, 1 waiting/pending, 2 working. */
const statusGauge = (s: Status): number => (s === 'ERROR' ? -1 : s === 'COMPLETE' ? 0 : s === 'WAITING' || s === 'PENDING' || s === 'DELAYED' ? 1 : 2);

function metricsJson(s: Scheduler) {
  const gauges: Record<string, { value: number | boolean }> = { is_suppressed: { value: false } };
  for (const name of s.planNames()) {
    const plan = s.plan(name);
    if (plan) gauges[`plan_status.${name}`] = { value: statusGauge(planStatus(plan)) };
  }
  const counters: Record<string, { count: number }> = {};
  for (const [k, v] of s.metrics.snapshot()) counters[k] = { count: v };
  return { version: '3.1.3', gauges, counters, histograms: {}, meters: {}, timers: {} };
}

function prometheus(s: Scheduler): string {
  const m = metricsJson(s);
  const lines: string[] = [];
  const emit = (name: string, kind: string, value: number) => {
    const n = name.replace(/[^a-zA-Z0-9_]/g, '_');
    lines.push(`# HELP ${n} ${kind} ${name}`, `# TYPE ${n} gauge`, `${n} ${value}`);
  };
  for (const [k, v] of Object.entries(m.gauges)) emit(k, 'gauge', Number(v.value));
  for (const [k, v] of Object.entries(m.counters)) emit(k, 'counter', v.count);
  const tasks = s.tasks();
  emit('tasks.total', 'gauge', tasks.length);
  emit('tasks.running', 'gauge', tasks.filter((t) => t.status?.state === 'TASK_RUNNING').length);
  return lines.join('\n') + '\n';
}

export function debugRoutes(s: Scheduler): Route[] {
  return [
    route('GET', '/v1/metrics', () => json(metricsJson(s))),
    route('GET', '/v1/metrics/prometheus', () => text(prometheus(s))),
    route('GET', '/v1/debug/plans', () =>
      json({
        activePlans: s.planNames().filter((n) => {
          const st = s.plan(n) && planStatus(s.plan(n)!);
          return st === 'PREPARED' || st === 'STARTING' || st === 'STARTED' || st === 'IN_PROGRESS';
        }),
        plans: s.planNames().map((n) => {
          const plan = s.plan(n)!;
          const steps = allSteps(plan);
          return {
            name: n,
            status: planStatus(plan),
            strategy: plan.strategy,
            totalSteps: steps.length,
            completedSteps: steps.filter((st) => st.status === 'COMPLETE').length,
            phases: plan.phases.map((ph) => ({ name: ph.name, strategy: ph.strategy, steps: ph.steps.map((st) => ({ name: st.name, status: st.status, errors: st.errors })) })),
          };
        }),
      }),
    ),
    route('GET', '/v1/debug/taskStatuses', () =>
      json(s.tasks().map((t) => ({ name: t.name, taskStatus: t.status?.state ?? 'TASK_UNKNOWN', taskId: t.taskId }))),
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

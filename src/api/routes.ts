// Route table: path pattern → handler returning a reply. Handlers only read from or ask the
// scheduler; the shapes follow reference/rest-api.md.
import { planStatus, planToJson, type Plan } from '../plan/index.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { TaskRecord } from '../state/index.js';
import { healthOf } from './health.js';

export type Reply = { status: number; json: unknown } | { status: number; text: string };

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly pattern: RegExp;
  readonly handle: (params: string[], query: URLSearchParams, body: string) => Reply | Promise<Reply>;
}

const SEG = '([^/]+)';
const r = (method: Route['method'], path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(/:\w+/g, SEG)}/?$`),
  handle,
});

function planReply(plan: Plan): Reply {
  const status = planStatus(plan);
  return { status: status === 'ERROR' ? 417 : status === 'COMPLETE' ? 200 : 202, json: planToJson(plan) };
}

/** Task state as the original shows it, with pause/resume overrides (rest-api.md §3.2). */
function displayState(t: TaskRecord): string | undefined {
  if (t.paused) return t.launchedPaused && t.status?.state === 'TASK_RUNNING' ? 'PAUSED' : 'PAUSING';
  if (t.launchedPaused) return 'STARTING';
  return t.status?.state.replace(/^TASK_/, '');
}

interface TaskJson {
  id: string;
  name: string;
  status?: string;
}

function instances(tasks: readonly TaskRecord[]): Map<string, Map<string, TaskJson[]>> {
  const byType = new Map<string, Map<string, TaskJson[]>>();
  const sorted = [...tasks].sort((a, b) => a.podType.localeCompare(b.podType) || a.podIndex - b.podIndex || a.name.localeCompare(b.name));
  for (const t of sorted) {
    const inst = byType.get(t.podType) ?? new Map<string, TaskJson[]>();
    byType.set(t.podType, inst);
    const name = `${t.podType}-${t.podIndex}`;
    inst.set(name, [...(inst.get(name) ?? []), { id: t.taskId, name: t.name, status: displayState(t) }]);
  }
  return byType;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function routes(s: Scheduler): Route[] {
  const notFound = (kind: string, name: string): Reply => ({ status: 404, text: `${kind} ${name} not found` });
  const podTasks = (pod: string) => s.tasks().filter((t) => `${t.podType}-${t.podIndex}` === pod);
  return [
    r('GET', '/v1/plans', () => ({ status: 200, json: s.planNames() })),
    r('GET', '/v1/plans/:plan', ([name]) => {
      const plan = s.plan(name);
      return plan ? planReply(plan) : notFound('Plan', name);
    }),
    r('GET', '/v1/plan', () => planReply(s.plan('deploy') as Plan)),
    r('GET', '/v1/pod', () => ({
      status: 200,
      json: [...new Set(s.tasks().map((t) => `${t.podType}-${t.podIndex}`))].sort(),
    })),
    r('GET', '/v1/pod/status', () => {
      const byType = instances(s.tasks());
      const json: { service: string; pods?: unknown[] } = { service: s.spec.name };
      if (byType.size > 0) {
        json.pods = [...byType].map(([name, inst]) => ({ name, instances: [...inst].map(([iname, tasks]) => ({ name: iname, tasks })) }));
      }
      return { status: 200, json };
    }),
    r('GET', '/v1/pod/:pod/status', ([pod]) => {
      const tasks = podTasks(pod);
      if (tasks.length === 0) return notFound('Pod', pod);
      const [[, inst]] = [...instances(tasks)];
      return { status: 200, json: { name: pod, tasks: inst.get(pod) } };
    }),
    ...(['restart', 'replace'] as const).map((mode) =>
      r('POST', `/v1/pod/:pod/${mode}`, async ([pod]) => {
        const tasks = await s.killPod(pod, mode);
        return tasks ? { status: 200, json: { pod, tasks } } : notFound('Pod', pod);
      }),
    ),
    ...(['pause', 'resume'] as const).map((action) =>
      r('POST', `/v1/pod/:pod/${action}`, async ([pod], _q, body) => {
        let only: string[] = [];
        if (body.trim()) {
          const parsed = parseJson(body);
          if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return { status: 400, text: 'body must be a JSON array of task names' };
          only = parsed;
        }
        const tasks = await s.setPaused(pod, action === 'pause', only);
        return tasks ? { status: 200, json: { pod, tasks } } : notFound('Pod', pod);
      }),
    ),
    r('GET', '/v1/endpoints', () => ({ status: 200, json: [...s.endpoints().keys()].sort() })),
    r('GET', '/v1/endpoints/:name', ([name]) => {
      const e = s.endpoints().get(name);
      return e ? { status: 200, json: e } : { status: 404, text: '' };
    }),
    r('GET', '/v1/tasks/:task/exec', ([task]) => {
      const ctx = s.execContext(task);
      return ctx ? { status: 200, json: ctx } : notFound('Task', task);
    }),
    r('GET', '/v1/health', (_p, q) => {
      const h = healthOf(s);
      return { status: h.value, json: q.get('verbose') === 'true' ? h : { value: h.value } };
    }),
    r('GET', '/v1/state/frameworkId', () => ({ status: 200, json: [s.frameworkId()] })),
    r('GET', '/v1/configurations/targetId', () => ({ status: 200, json: [s.configId] })),
    r('GET', '/v1/configurations/target', () => ({ status: 200, json: s.spec })),
    // Ours: ask the scheduler to run its uninstall plan (the original learned this from Cosmos).
    r('POST', '/v1/uninstall', () => {
      s.startUninstall();
      return { status: 200, json: { message: 'Received cmd: uninstall' } };
    }),
  ];
}

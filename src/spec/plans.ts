// plans.<plan> → PlanSpec, checked against the converted pods: the phase's pod must exist, custom
// steps must name its tasks, and every pod index must have a step entry (or `default`).
import { Reader, describe, isRawMap, type Raw } from './raw.js';
import type { PhaseSpec, PlanSpec, PodSpec, StepsSpec } from './types.js';

export const PLAN_STRATEGIES = ['serial', 'parallel'];
export const PHASE_STRATEGIES = ['serial', 'parallel', 'serial-canary', 'canary', 'parallel-canary'];
/** Plans the scheduler generates itself. */
export const RESERVED_PLANS = ['recovery', 'decommission'];

export function convertPlans(r: Reader, pods: readonly PodSpec[]): PlanSpec[] {
  const plansR = r.map('plans');
  if (!plansR) return [];
  const plans = plansR.children().map(([name, pr]) => convertPlan(name, pr, pods));
  if (plans.length > 0 && !plans.some((p) => p.name === 'deploy')) plansR.failHere('must include a "deploy" plan when plans are given');
  for (const p of plans) if (RESERVED_PLANS.includes(p.name)) plansR.fail(p.name, 'is a plan name reserved for the scheduler');
  return plans;
}

function convertPlan(name: string, r: Reader, pods: readonly PodSpec[]): PlanSpec {
  r.onlyKeys(['strategy', 'phases']);
  const strategy = strategyOf(r, PLAN_STRATEGIES, 'plan');
  const phases = r.entries('phases').map(([phaseName, pr]) => convertPhase(phaseName, pr, pods));
  if (phases.length === 0) r.fail('phases', 'must name at least one phase');
  return { name, strategy, phases };
}

function convertPhase(name: string, r: Reader, pods: readonly PodSpec[]): PhaseSpec {
  r.onlyKeys(['strategy', 'pod', 'steps']);
  const strategy = strategyOf(r, PHASE_STRATEGIES, 'phase');
  const podName = r.str('pod', { required: true }) ?? '';
  const pod = pods.find((p) => p.name === podName);
  if (podName && !pod) r.fail('pod', `no pod named "${podName}"`);
  const steps = r.has('steps') ? convertSteps(r, pod) : undefined;
  return { name, strategy: strategy === 'canary' ? 'serial-canary' : strategy, pod: podName, ...(steps ? { steps } : {}) };
}

function strategyOf(r: Reader, allowed: readonly string[], what: string): string {
  const s = r.str('strategy');
  if (s === undefined) return 'serial';
  if (allowed.includes(s)) return s;
  r.fail('strategy', `unsupported ${what} strategy ${JSON.stringify(s)} (expected one of ${allowed.join(', ')})`);
  return 'serial';
}

/** `steps: [{<index>|default: [[task, …], …]}, …]` — a list of single-entry maps. */
function convertSteps(r: Reader, pod: PodSpec | undefined): StepsSpec {
  const path = r.at('steps');
  const steps: Array<{ key: string; groups: string[][] }> = [];
  let malformed = false;
  (r.list('steps') ?? []).forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (!isRawMap(entry) || entry.size !== 1) {
      r.issues.push({ path: at, message: `must be a mapping with a single "<index>|default: [[task, ...]]" entry, got ${describe(entry)}` });
      malformed = true;
      return;
    }
    const [rawKey, value] = [...entry][0];
    const key = /^\d+$/.test(rawKey) ? String(Number(rawKey)) : rawKey;
    if (key !== 'default' && !/^\d+$/.test(key)) r.issues.push({ path: at, message: `step key must be "default" or a pod index, got ${JSON.stringify(key)}` });
    else if (steps.some((s) => s.key === key)) r.issues.push({ path: at, message: `step key "${key}" is defined twice` });
    else steps.push({ key, groups: convertGroups(r, `${at}.${key}`, value, pod) });
  });
  if (pod && !malformed) checkEveryIndexHasSteps(r, path, pod, steps);
  return steps;
}

function convertGroups(r: Reader, path: string, value: Raw, pod: PodSpec | undefined): string[][] {
  const fail = (message: string): string[][] => (r.issues.push({ path, message }), []);
  if (!Array.isArray(value)) return fail(`must be a list of task lists, e.g. [[init], [server]], got ${describe(value as Raw)}`);
  const groups: string[][] = [];
  for (const group of value as readonly Raw[]) {
    if (!Array.isArray(group) || group.length === 0 || !group.every((t: Raw) => typeof t === 'string')) {
      return fail(`must be a list of non-empty task lists, e.g. [[init], [server]], got ${describe(group)}`);
    }
    const names = group as readonly string[];
    for (const t of names) if (pod && !pod.tasks.some((task) => task.name === t)) r.issues.push({ path, message: `no task named "${t}" in pod "${pod.name}"` });
    groups.push([...names]);
  }
  return groups;
}

function checkEveryIndexHasSteps(r: Reader, path: string, pod: PodSpec, steps: readonly { key: string }[]): void {
  if (steps.some((s) => s.key === 'default')) return;
  for (let i = 0; i < pod.count; i++) {
    if (!steps.some((s) => s.key === String(i))) r.issues.push({ path, message: `no step entry for index ${i} of pod "${pod.name}" and no "default"` });
  }
}

// Shared builder pieces and the default deploy plan. Ids come from an injected generator so tests
// are deterministic; initial statuses from an injected function (the builder reads no state).
import type { PodSpec, ServiceSpec } from '../spec/index.js';
import { initStrategies } from './init.js';
import type { Phase, Plan, Step } from './plan.js';
import { podInstanceName } from './pod-instance.js';
import type { Status } from './status.js';
import type { Prerequisites, StrategyName } from './strategy.js';

export type IdGen = () => string;

export interface BuildOptions {
  /**
   * A step's status when the plan is built (service-spec.md §9.1: COMPLETE when its stored tasks
   * reached their goal in the target config). Canary steps and serial chains are chosen from these
   * statuses, so pass it rather than setting statuses afterwards. Default: PENDING.
   */
  readonly initialStatus?: (step: Step) => Status;
  /** The deploy plan has completed once (persisted flag): a YAML `update` plan then replaces `deploy`. */
  readonly deploymentCompleted?: boolean;
}

/** Java list rendering, as the original names steps: `hello-0:[init, main]`. */
export const stepName = (podType: string, index: number, tasks: readonly string[]): string => `${podInstanceName(podType, index)}:[${tasks.join(', ')}]`;

export function newStep(newId: IdGen, name: string, init: Partial<Omit<Step, 'id' | 'name'>> = {}): Step {
  return { id: newId(), name, status: 'PENDING', interrupted: false, tasks: [], errors: [], ...init };
}

export function newPhase(newId: IdGen, name: string, strategy: StrategyName, steps: Step[], prerequisites?: Prerequisites): Phase {
  return { id: newId(), name, strategy, steps, interrupted: false, ...(prerequisites ? { prerequisites } : {}) };
}

/**
 * A step launching `tasks` of one pod instance. Tasks that would share a resource set or a DNS
 * prefix cannot launch together: the step is built in ERROR, named after the pod instance, as the
 * original does (service-spec.md §8.5).
 */
export function launchStep(newId: IdGen, pod: PodSpec, index: number, tasks: readonly string[]): Step {
  const ref = { podType: pod.name, index };
  const error = launchError(pod, index, tasks);
  if (error) return newStep(newId, podInstanceName(pod.name, index), { pod: ref, tasks, status: 'ERROR', errors: [error] });
  return newStep(newId, stepName(pod.name, index, tasks), { pod: ref, tasks });
}

const javaList = (xs: readonly string[]) => `[${xs.join(', ')}]`;
const hasDuplicates = (xs: readonly string[]) => new Set(xs).size < xs.length;

function launchError(pod: PodSpec, index: number, tasks: readonly string[]): string | undefined {
  const specs = pod.tasks.filter((t) => tasks.includes(t.name));
  const instance = podInstanceName(pod.name, index);
  const sets = specs.map((t) => t.resourceSet);
  if (hasDuplicates(sets)) {
    return `Attempted to simultaneously launch tasks: ${javaList(tasks)} in pod: ${instance} using the same resource set id: ${javaList(sets)}. These tasks should either be run in separate steps or use different resource set ids`;
  }
  const prefixes = specs.flatMap((t) => (t.discovery?.prefix ? [t.discovery.prefix] : []));
  if (hasDuplicates(prefixes)) {
    return `Attempted to simultaneously launch tasks: ${javaList(tasks)} in pod: ${instance} using the same DNS name: ${javaList(prefixes)}. These tasks should either be run in separate steps or use different DNS names`;
  }
  return undefined;
}

/** Applies initial statuses, then fixes strategy state from them. */
export function finishPlan(plan: Plan, opts: BuildOptions): Plan {
  const initial = opts.initialStatus;
  if (initial) for (const step of plan.phases.flatMap((p) => p.steps)) if (step.errors.length === 0) step.status = initial(step);
  initStrategies(plan);
  return plan;
}

/** The default deploy plan: serial; one serial phase per pod; one step per instance with all its tasks. */
export function buildDeployPlan(spec: ServiceSpec, newId: IdGen, opts: BuildOptions = {}): Plan {
  const phases = spec.pods.map((pod) => {
    const tasks = pod.tasks.map((t) => t.name);
    const steps = Array.from({ length: pod.count }, (_, index) => launchStep(newId, pod, index, tasks));
    return newPhase(newId, pod.name, 'serial', steps);
  });
  return finishPlan({ name: 'deploy', strategy: 'serial', phases, interrupted: false, errors: [], parameters: {} }, opts);
}

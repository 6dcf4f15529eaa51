// Plans from the YAML `plans:` section (service-spec.md §8): deploy (or update once deployed),
// custom plans created interrupted, phase strategies and the custom steps syntax.
import type { PhaseSpec, PlanSpec, PodSpec, ServiceSpec } from '../spec/index.js';
import { buildDeployPlan, finishPlan, launchStep, newPhase, type BuildOptions, type IdGen } from './builders.js';
import { PlanBuildError } from './errors.js';
import type { Phase, Plan, Step } from './plan.js';
import type { Prerequisites, StrategyName } from './strategy.js';

export interface BuiltPlans {
  /** The YAML `deploy` plan, the `update` plan renamed once deployment completed, or the default plan. */
  readonly deploy: Plan;
  /** Every other YAML plan, in definition order, created interrupted (run via `start`). */
  readonly custom: Plan[];
}

const PLAN_STRATEGIES: Readonly<Record<string, StrategyName>> = { serial: 'serial', parallel: 'parallel' };
const PHASE_STRATEGIES: Readonly<Record<string, StrategyName>> = {
  serial: 'serial',
  parallel: 'parallel',
  'serial-canary': 'serial-canary',
  canary: 'serial-canary',
  'parallel-canary': 'parallel-canary',
};

export function buildPlansFromSpec(spec: ServiceSpec, newId: IdGen, opts: BuildOptions = {}): BuiltPlans {
  if (spec.plans.length === 0) return { deploy: buildDeployPlan(spec, newId, opts), custom: [] };
  const deploySpec = spec.plans.find((p) => p.name === 'deploy');
  if (!deploySpec) throw new PlanBuildError('No deploy plan provided');
  // `update` replaces `deploy` only after a first completed deployment; before that it is dropped.
  const updateSpec = spec.plans.find((p) => p.name === 'update');
  const rollout = opts.deploymentCompleted && updateSpec ? updateSpec : deploySpec;
  const deploy = buildYamlPlan(spec, rollout, 'deploy', newId, opts);
  const custom = spec.plans
    .filter((p) => p.name !== 'deploy' && p.name !== 'update')
    .map((p) => {
      const plan = buildYamlPlan(spec, p, p.name, newId, opts);
      plan.interrupted = true;
      return plan;
    });
  return { deploy, custom };
}

function buildYamlPlan(spec: ServiceSpec, planSpec: PlanSpec, name: string, newId: IdGen, opts: BuildOptions): Plan {
  const strategy = PLAN_STRATEGIES[planSpec.strategy];
  if (!strategy) throw new PlanBuildError(`Unsupported plan strategy '${planSpec.strategy}', expected one of: [serial, parallel]`);
  const phases = planSpec.phases.map((ph) => buildPhase(spec, ph, newId));
  return finishPlan({ name, strategy, phases, interrupted: false, errors: [], parameters: {} }, opts);
}

function buildPhase(spec: ServiceSpec, phaseSpec: PhaseSpec, newId: IdGen): Phase {
  const strategy = PHASE_STRATEGIES[phaseSpec.strategy];
  if (!strategy) {
    throw new PlanBuildError(`Unsupported phase strategy '${phaseSpec.strategy}', expected one of: [${Object.keys(PHASE_STRATEGIES).join(', ')}]`);
  }
  const pod = spec.pods.find((p) => p.name === phaseSpec.pod);
  if (!pod) throw new PlanBuildError(`Unable to find pod '${phaseSpec.pod}' referenced by phase '${phaseSpec.name}'`);
  if (!phaseSpec.steps || phaseSpec.steps.length === 0) {
    const tasks = pod.tasks.map((t) => t.name);
    const steps = Array.from({ length: pod.count }, (_, i) => launchStep(newId, pod, i, tasks));
    return newPhase(newId, phaseSpec.name, strategy, steps);
  }
  const perInstance = customSteps(phaseSpec, pod, newId);
  const steps = perInstance.flat();
  if (strategy === 'serial' || strategy === 'serial-canary') return newPhase(newId, phaseSpec.name, strategy, steps);
  // Parallel with custom steps: a dependency graph, serial within a pod instance, parallel across.
  const name: StrategyName = strategy === 'parallel-canary' ? 'dependency-canary' : 'dependency';
  return newPhase(newId, phaseSpec.name, name, steps, instanceChains(perInstance));
}

/** Each step depends on every earlier step of its pod instance (prerequisites are not transitive). */
function instanceChains(perInstance: readonly Step[][]): Prerequisites {
  return Object.fromEntries(perInstance.flatMap((steps) => steps.map((s, i) => [s.id, steps.slice(0, i).map((p) => p.id)])));
}

/** Steps per pod instance, in instance order (service-spec.md §8.2). */
function customSteps(phaseSpec: PhaseSpec, pod: PodSpec, newId: IdGen): Step[][] {
  const byKey = new Map<string, readonly (readonly string[])[]>();
  for (const entry of phaseSpec.steps ?? []) {
    if (byKey.has(entry.key)) throw new PlanBuildError(`Malformed steps in phase '${phaseSpec.name}': duplicate step entry '${entry.key}'`);
    byKey.set(entry.key, entry.groups);
  }
  return Array.from({ length: pod.count }, (_, i) => {
    const groups = byKey.get(String(i)) ?? byKey.get('default');
    if (!groups) throw new PlanBuildError(`Malformed steps in phase '${phaseSpec.name}': Missing '${i}' step entry, and no 'default' defined`);
    return groups.map((tasks) => {
      const unknown = tasks.find((t) => !pod.tasks.some((spec) => spec.name === t));
      if (unknown) throw new PlanBuildError(`Phase '${phaseSpec.name}': step refers to a task that does not exist: '${unknown}' in pod '${pod.name}'`);
      return launchStep(newId, pod, i, tasks);
    });
  });
}

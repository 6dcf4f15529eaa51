// Builders: ServiceSpec → plans. Ids come from an injected generator so tests are deterministic.
import type { ServiceSpec } from '../spec/index.js';
import type { Phase, Plan, Step } from './plan.js';
import type { StrategyName } from './strategy.js';

export type IdGen = () => string;

export const stepName = (podType: string, index: number, tasks: readonly string[]): string => `${podType}-${index}:[${tasks.join(', ')}]`;

export function newStep(newId: IdGen, name: string, init: Partial<Omit<Step, 'id' | 'name'>> = {}): Step {
  return { id: newId(), name, status: 'PENDING', interrupted: false, tasks: [], errors: [], ...init };
}

export function newPhase(newId: IdGen, name: string, strategy: StrategyName, steps: Step[]): Phase {
  return { id: newId(), name, strategy, steps, interrupted: false };
}

/** The default deploy plan: serial; one serial phase per pod; one step per instance with all its tasks. */
export function buildDeployPlan(spec: ServiceSpec, newId: IdGen): Plan {
  const phases = spec.pods.map((pod) => {
    const tasks = pod.tasks.map((t) => t.name);
    const steps = Array.from({ length: pod.count }, (_, index) =>
      newStep(newId, stepName(pod.name, index, tasks), { pod: { podType: pod.name, index }, tasks }),
    );
    return newPhase(newId, pod.name, 'serial', steps);
  });
  return { name: 'deploy', strategy: 'serial', phases, interrupted: false, errors: [] };
}

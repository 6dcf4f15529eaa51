// The `decommission` plan (service-spec.md §10.2): removes pod instances whose type left the spec
// or whose index is ≥ count. One serial phase per instance: kill its tasks, release its
// reservations, then forget the tasks.
import type { ServiceSpec } from '../spec/index.js';
import { finishPlan, newPhase, newStep, type BuildOptions, type IdGen } from './builders.js';
import type { Plan } from './plan.js';
import { podInstanceName } from './pod-instance.js';

/** A pod instance as the state store knows it. */
export interface StoredPodInstance {
  readonly podType: string;
  readonly index: number;
  /** Full task names (`<pod>-<index>-<task>`). */
  readonly tasks: readonly string[];
  /** Ids of the resources reserved for it. */
  readonly resourceIds: readonly string[];
}

/**
 * The instances to remove, in removal order: pod types missing from the spec first (alphabetically),
 * then the remaining types in reverse declaration order, higher index first within a type.
 */
export function podsToDecommission(spec: ServiceSpec, stored: readonly StoredPodInstance[]): StoredPodInstance[] {
  const declared = spec.pods.map((p) => p.name).reverse();
  const rank = (p: StoredPodInstance) => declared.indexOf(p.podType); // -1 = gone from the spec: first
  return stored
    .filter((p) => {
      const pod = spec.pods.find((s) => s.name === p.podType);
      return !pod || p.index >= pod.count;
    })
    .sort((a, b) => rank(a) - rank(b) || (rank(a) === -1 ? byCodeUnits(a.podType, b.podType) : 0) || b.index - a.index);
}

/** Java's String.compareTo, not locale order, so the order is the same everywhere. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Undefined when nothing is to be removed (the plan is then not listed at all). */
export function buildDecommissionPlan(spec: ServiceSpec, stored: readonly StoredPodInstance[], newId: IdGen, opts: BuildOptions = {}): Plan | undefined {
  const pods = podsToDecommission(spec, stored);
  if (pods.length === 0) return undefined;
  const phases = pods.map((p) => {
    const pod = { podType: p.podType, index: p.index };
    const steps = [
      ...p.tasks.map((task) => newStep(newId, `kill-${task}`, { pod, action: { kind: 'kill', task } })),
      ...p.resourceIds.map((resourceId) => newStep(newId, `unreserve-${resourceId}`, { pod, action: { kind: 'unreserve', resourceId } })),
      ...p.tasks.map((task) => newStep(newId, `erase-${task}`, { pod, action: { kind: 'erase', task } })),
    ];
    return newPhase(newId, podInstanceName(p.podType, p.index), 'serial', steps);
  });
  return finishPlan({ name: 'decommission', strategy: 'serial', phases, interrupted: false, errors: [], parameters: {} }, opts);
}

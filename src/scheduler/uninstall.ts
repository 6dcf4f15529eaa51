// The uninstall plan (served as `deploy` while uninstalling): kill every task, release every
// reservation (destroying its volumes), then forget the service's state.
import type { Engine } from '../engine/types.js';
import { newPhase, newStep, type IdGen, type Plan, type Step } from '../plan/index.js';
import type { StateStore } from '../state/index.js';

export function buildUninstallPlan(store: StateStore, engine: Engine, newId: IdGen): Plan {
  const killSteps = store.pods().map((pod) => newStep(newId, `kill-tasks-${pod.name}`));
  const byAgent = new Map<string, Step[]>();
  for (const res of engine.reservations()) {
    const agent = engine.agents().find((a) => a.id === res.agentId)?.hostname ?? res.agentId;
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), newStep(newId, `unreserve-${res.id}`)]);
  }
  return {
    name: 'deploy',
    strategy: 'serial',
    interrupted: false,
    errors: [],
    phases: [
      newPhase(newId, 'kill-tasks', 'parallel', killSteps),
      ...[...byAgent].map(([agent, steps]) => newPhase(newId, `unreserve-resources-${agent}`, 'parallel', steps)),
      newPhase(newId, 'deregister-service', 'serial', [newStep(newId, 'deregister')]),
    ],
  };
}

export async function runUninstallStep(step: Step, store: StateStore, engine: Engine): Promise<void> {
  if (step.name.startsWith('kill-tasks-')) {
    const pod = store.pod(step.name.slice('kill-tasks-'.length));
    if (pod) await engine.stopPod(pod.name, pod.reservationId);
  } else if (step.name.startsWith('unreserve-')) {
    await engine.unreserve(step.name.slice('unreserve-'.length));
  } else if (step.name === 'deregister') {
    store.wipe();
  }
}

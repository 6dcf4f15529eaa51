// Strategy state fixed when a plan is built, from the step statuses at that moment: the serial
// chains (which children were incomplete) and the canary steps (the first two PENDING ones).
import { phaseStatus, stepDisplayStatus, type Phase, type Plan } from './plan.js';
import { innerStrategy, isCanary, pickCanarySteps, serialChain } from './strategy.js';

/**
 * Call once the steps carry their initial statuses. Idempotent: state already fixed is kept, so a
 * plan that has run for a while is not re-armed.
 */
export function initStrategies(plan: Plan): void {
  for (const phase of plan.phases) initPhase(phase);
  if (innerStrategy(plan.strategy) === 'serial' && !plan.chain) {
    plan.chain = serialChain(plan.phases.map((p) => ({ id: p.id, complete: phaseStatus(p) === 'COMPLETE', eligible: true })));
  }
}

function initPhase(phase: Phase): void {
  if (isCanary(phase.strategy) && !phase.canarySteps) {
    const canary = pickCanarySteps(phase.steps.map((s) => ({ id: s.id, pending: stepDisplayStatus(s) === 'PENDING', interrupted: s.interrupted })));
    for (const s of phase.steps) if (canary.includes(s.id)) s.interrupted = true;
    phase.canarySteps = canary;
  }
  if (innerStrategy(phase.strategy) === 'serial' && !phase.chain) {
    phase.chain = serialChain(phase.steps.map((s) => ({ id: s.id, complete: stepDisplayStatus(s) === 'COMPLETE', eligible: true })));
  }
}

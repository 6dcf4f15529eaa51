// Plan → Phase → Step, in memory. The scheduler mutates step statuses from task status updates;
// everything a client sees (phase/plan status, candidates) is derived here, without I/O.
import { aggregate, type Status } from './status.js';
import { candidateIndexes, type StrategyName } from './strategy.js';

export interface PodInstanceRef {
  readonly podType: string;
  readonly index: number;
}

export interface Step {
  readonly id: string;
  readonly name: string;
  /** Stored status; WAITING is never stored. */
  status: Status;
  interrupted: boolean;
  readonly pod?: PodInstanceRef;
  /** Task spec names this step launches in its pod instance. */
  readonly tasks: readonly string[];
  errors: string[];
  /** When a DELAYED step may be retried (ms since epoch). */
  delayedUntil?: number;
}

export interface Phase {
  readonly id: string;
  readonly name: string;
  readonly strategy: StrategyName;
  readonly steps: Step[];
  interrupted: boolean;
}

export interface Plan {
  readonly name: string;
  readonly strategy: StrategyName;
  readonly phases: Phase[];
  interrupted: boolean;
  errors: string[];
}

/** What a client sees: WAITING for an interrupted step that has not started. */
export function stepDisplayStatus(step: Step): Status {
  if (step.interrupted && (step.status === 'PENDING' || step.status === 'PREPARED')) return 'WAITING';
  return step.status;
}

function eligible(status: Status, interrupted: boolean): boolean {
  return status !== 'COMPLETE' && status !== 'ERROR' && !interrupted;
}

export function phaseStatus(phase: Phase): Status {
  const children = phase.steps.map(stepDisplayStatus);
  const cands = phaseCandidates(phase).map(stepDisplayStatus);
  return aggregate({ children, candidates: cands, hasErrors: phase.steps.some((s) => s.errors.length > 0), interrupted: phase.interrupted });
}

export function planStatus(plan: Plan): Status {
  const children = plan.phases.map(phaseStatus);
  const cands = planCandidatePhases(plan).map(phaseStatus);
  return aggregate({ children, candidates: cands, hasErrors: planErrors(plan).length > 0, interrupted: plan.interrupted });
}

export function planErrors(plan: Plan): string[] {
  return [...plan.errors, ...plan.phases.flatMap((ph) => ph.steps.flatMap((s) => s.errors))];
}

function phaseCandidates(phase: Phase): Step[] {
  if (phase.interrupted) return [];
  const idx = candidateIndexes(
    phase.strategy,
    phase.steps.map((s) => ({ complete: s.status === 'COMPLETE', eligible: eligible(s.status, s.interrupted) })),
  );
  return idx.map((i) => phase.steps[i]);
}

function planCandidatePhases(plan: Plan): Phase[] {
  if (plan.interrupted) return [];
  const statuses = plan.phases.map(phaseStatus);
  const idx = candidateIndexes(
    plan.strategy,
    plan.phases.map((p, i) => ({ complete: statuses[i] === 'COMPLETE', eligible: eligible(statuses[i], p.interrupted) })),
  );
  return idx.map((i) => plan.phases[i]);
}

/** Steps the plan's strategies hand out now, minus DELAYED ones still backing off. */
export function candidateSteps(plan: Plan, now: number): Step[] {
  return planCandidatePhases(plan)
    .flatMap(phaseCandidates)
    .filter((s) => !(s.status === 'DELAYED' && (s.delayedUntil ?? 0) > now));
}

export function allSteps(plan: Plan): Step[] {
  return plan.phases.flatMap((p) => p.steps);
}

// Plan → Phase → Step, in memory. The scheduler mutates step statuses from task status updates;
// everything a client sees (phase/plan status, candidates) is derived here, without I/O.
import { podInstanceName, type PodInstanceRef } from './pod-instance.js';
import { aggregate, type Status } from './status.js';
import { canaryCandidates, canaryInterrupted, nextCanaryStep, type CanaryChild } from './strategies/canary.js';
import { baseCandidates, innerStrategy, isCanary, type Prerequisites, type StrategyName } from './strategy.js';

/** What a step that launches nothing does (decommission and uninstall steps). */
export type StepAction =
  | { readonly kind: 'kill'; readonly task: string }
  | { readonly kind: 'unreserve'; readonly resourceId: string }
  | { readonly kind: 'erase'; readonly task: string }
  | { readonly kind: 'kill-task'; readonly taskId: string }
  | { readonly kind: 'tls-cleanup' }
  | { readonly kind: 'deregister' };

export interface Step {
  readonly id: string;
  readonly name: string;
  /** Stored status; WAITING is never stored. */
  status: Status;
  /** The step's own interrupt bit; only canary phases set it. */
  interrupted: boolean;
  readonly pod?: PodInstanceRef;
  /** Task spec names this step launches in its pod instance. */
  readonly tasks: readonly string[];
  /** A step with errors shows ERROR whatever its stored status (it could not be built). */
  errors: string[];
  /** When a DELAYED step may be retried (ms since epoch). */
  delayedUntil?: number;
  readonly action?: StepAction;
}

export interface Phase {
  readonly id: string;
  readonly name: string;
  readonly strategy: StrategyName;
  readonly steps: Step[];
  /** The phase strategy's interrupt bit (for a canary phase: its inner strategy's). */
  interrupted: boolean;
  /** serial: the chain of step ids frozen at build (each waits for all earlier ones). */
  chain?: readonly string[];
  /** dependency: step id → prerequisite step ids. */
  prerequisites?: Prerequisites;
  /** Canary phases: the steps held back at build, in release order. */
  canarySteps?: readonly string[];
}

export interface Plan {
  readonly name: string;
  readonly strategy: StrategyName;
  readonly phases: Phase[];
  interrupted: boolean;
  errors: string[];
  /** serial: the chain of phase ids frozen at build (each waits for all earlier ones). */
  chain?: readonly string[];
  /** dependency: phase id → prerequisite phase ids. */
  prerequisites?: Prerequisites;
  /** Set by `start`; appended to the env of every task the plan launches. */
  parameters?: Record<string, string>;
}

/** Work in progress elsewhere: a step conflicts when it targets the same pod instance and a common task. */
export interface PodRequirement {
  readonly podType: string;
  readonly index: number;
  readonly tasks: readonly string[];
}

/** What a client sees: ERROR if the step has errors, WAITING if interrupted before it started. */
export function stepDisplayStatus(step: Step): Status {
  if (step.errors.length > 0) return 'ERROR';
  if (step.interrupted && (step.status === 'PENDING' || step.status === 'PREPARED')) return 'WAITING';
  return step.status;
}

/** Pod instance → the tasks work in progress holds there. */
type DirtyIndex = ReadonlyMap<string, ReadonlySet<string>>;

function dirtyIndex(dirty: readonly PodRequirement[]): DirtyIndex {
  const index = new Map<string, Set<string>>();
  for (const d of dirty) {
    const key = podInstanceName(d.podType, d.index);
    const tasks = index.get(key) ?? new Set<string>();
    for (const t of d.tasks) tasks.add(t);
    index.set(key, tasks);
  }
  return index;
}

function conflicts(step: Step, dirty: DirtyIndex): boolean {
  const pod = step.pod;
  if (!pod || dirty.size === 0) return false;
  const held = dirty.get(podInstanceName(pod.podType, pod.index));
  return held !== undefined && step.tasks.some((t) => held.has(t));
}

interface StepChild extends CanaryChild {
  readonly step: Step;
}

function stepChildren(phase: Phase, dirty: readonly PodRequirement[]): StepChild[] {
  const index = dirtyIndex(dirty);
  return phase.steps.map((step) => {
    const status = stepDisplayStatus(step);
    const complete = status === 'COMPLETE';
    const eligible = !complete && status !== 'ERROR' && !step.interrupted && !conflicts(step, index);
    return { id: step.id, complete, eligible, interrupted: step.interrupted, step };
  });
}

const hasCanary = (phase: Phase): phase is Phase & { canarySteps: readonly string[] } => isCanary(phase.strategy) && phase.canarySteps !== undefined;

/** The phase strategy's interrupted state; a canary phase is interrupted while it waits for a `continue`. */
export function phaseInterrupted(phase: Phase): boolean {
  if (!hasCanary(phase)) return phase.interrupted;
  return canaryInterrupted(phase.canarySteps, stepChildren(phase, []), phase.interrupted);
}

/** The next canary step still held back; while there is one, the phase is in its canary period. */
export function heldCanaryStep(phase: Phase): Step | undefined {
  return hasCanary(phase) ? nextCanaryStep(phase.canarySteps, stepChildren(phase, []))?.step : undefined;
}

export function phaseCandidates(phase: Phase, dirty: readonly PodRequirement[] = []): Step[] {
  const children = stepChildren(phase, dirty);
  const inner = () => (phase.interrupted ? [] : baseCandidates(innerStrategy(phase.strategy), children, phase));
  const picked = hasCanary(phase) ? canaryCandidates(phase.canarySteps, children, inner) : inner();
  return picked.map((c) => c.step);
}

export function phaseStatus(phase: Phase): Status {
  return aggregate({
    children: phase.steps.map(stepDisplayStatus),
    candidates: phaseCandidates(phase).map(stepDisplayStatus),
    hasErrors: phase.steps.some((s) => s.errors.length > 0),
    interrupted: phaseInterrupted(phase),
  });
}

export function planCandidatePhases(plan: Plan): Phase[] {
  if (plan.interrupted) return [];
  const children = plan.phases.map((phase) => {
    const status = phaseStatus(phase);
    const complete = status === 'COMPLETE';
    return { id: phase.id, complete, eligible: !complete && status !== 'ERROR' && !phaseInterrupted(phase), phase };
  });
  return baseCandidates(innerStrategy(plan.strategy), children, plan).map((c) => c.phase);
}

export function planStatus(plan: Plan): Status {
  return aggregate({
    children: plan.phases.map(phaseStatus),
    candidates: planCandidatePhases(plan).map(phaseStatus),
    hasErrors: planErrors(plan).length > 0,
    interrupted: plan.interrupted,
  });
}

export function planErrors(plan: Plan): string[] {
  return [...plan.errors, ...plan.phases.flatMap((ph) => ph.steps.flatMap((s) => s.errors))];
}

/**
 * Steps the plan's strategies hand out now: each candidate phase's candidate steps, minus DELAYED
 * steps still backing off and steps conflicting with `dirty` (work other plans have in progress).
 */
export function candidateSteps(plan: Plan, now: number, dirty: readonly PodRequirement[] = []): Step[] {
  return planCandidatePhases(plan)
    .flatMap((phase) => phaseCandidates(phase, dirty))
    .filter((s) => !(s.status === 'DELAYED' && (s.delayedUntil ?? 0) > now));
}

/**
 * DELAYED reverts to PENDING once the backoff is over (service-spec.md §9.1). Call before asking
 * for candidates: a DELAYED step at the head of a serial phase otherwise leaves the phase in ERROR
 * (aggregation rule 13) and no longer a candidate. Returns the steps it released.
 */
export function expireDelays(plan: Plan, now: number): Step[] {
  const due = allSteps(plan).filter((s) => s.status === 'DELAYED' && (s.delayedUntil ?? 0) <= now);
  for (const s of due) {
    s.status = 'PENDING';
    s.delayedUntil = undefined;
  }
  return due;
}

export function allSteps(plan: Plan): Step[] {
  return plan.phases.flatMap((p) => p.steps);
}

export const planParameters = (plan: Plan): Readonly<Record<string, string>> => plan.parameters ?? {};

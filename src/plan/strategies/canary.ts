// `*-canary` (phases only): a gate in front of an inner strategy. At construction the first two
// steps that are PENDING (or already interrupted) become canary steps and are interrupted; each
// phase-level proceed releases the next one; once none is held back, the inner strategy rules.
import type { Child } from './types.js';

export const CANARY_STEP_COUNT = 2;

export interface CanaryChild extends Child {
  /** The step's own interrupt bit: a canary step not yet released. */
  readonly interrupted: boolean;
}

export interface CanaryCandidate {
  readonly id: string;
  /** Display status PENDING (an interrupted PENDING step displays WAITING, hence `interrupted`). */
  readonly pending: boolean;
  readonly interrupted: boolean;
}

/** Ids of the steps to hold back, chosen once when the phase is built. */
export function pickCanarySteps(steps: readonly CanaryCandidate[], count = CANARY_STEP_COUNT): string[] {
  return steps
    .filter((s) => s.pending || s.interrupted)
    .slice(0, count)
    .map((s) => s.id);
}

const inCanary = <C extends CanaryChild>(canary: readonly string[], children: readonly C[]): C[] =>
  canary.flatMap((id) => children.filter((c) => c.id === id));

/** The first canary step still held back; while there is one, the phase is in its canary period. */
export function nextCanaryStep<C extends CanaryChild>(canary: readonly string[], children: readonly C[]): C | undefined {
  return inCanary(canary, children).find((c) => c.interrupted);
}

/**
 * Interrupted while some canary step is held back and no released one is still unfinished; after
 * the canary period, whatever the inner strategy says.
 */
export function canaryInterrupted(canary: readonly string[], children: readonly CanaryChild[], innerInterrupted: boolean): boolean {
  const released = inCanary(canary, children).find((c) => !c.interrupted && !c.complete);
  if (nextCanaryStep(canary, children) && !released) return true;
  return innerInterrupted;
}

/** During the canary period only released canary steps run; afterwards the inner strategy's choice. */
export function canaryCandidates<C extends CanaryChild>(canary: readonly string[], children: readonly C[], inner: () => C[]): C[] {
  if (nextCanaryStep(canary, children)) return inCanary(canary, children).filter((c) => c.eligible);
  return inner();
}

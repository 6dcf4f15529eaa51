// Plan element statuses and the original's aggregation rule (phase from steps, plan from phases).
//
//   step:  PENDING ─► PREPARED ─► STARTING ─► (STARTED ─►) COMPLETE
//             ▲           │            │           │
//             └── killed/lost ◄────────┴───────────┘      failed ─► DELAYED ─(backoff over)─► PENDING
//   WAITING is derived (interrupted while PENDING/PREPARED); IN_PROGRESS exists only on phases/plans.

export type Status = 'PENDING' | 'PREPARED' | 'STARTING' | 'STARTED' | 'COMPLETE' | 'WAITING' | 'ERROR' | 'DELAYED' | 'IN_PROGRESS';

/** "Running" as several endpoints define it. */
export const isRunning = (s: Status): boolean => s === 'PREPARED' || s === 'STARTING' || s === 'STARTED' || s === 'IN_PROGRESS';
export const isComplete = (s: Status): boolean => s === 'COMPLETE';

/** Ordering used to take the "lowest" status of a multi-task step. */
const STEP_ORDER: readonly Status[] = ['ERROR', 'DELAYED', 'PENDING', 'PREPARED', 'STARTING', 'STARTED', 'COMPLETE'];

export function lowestStatus(statuses: readonly Status[]): Status {
  let best = STEP_ORDER.length - 1;
  for (const s of statuses) best = Math.min(best, STEP_ORDER.indexOf(s) < 0 ? 0 : STEP_ORDER.indexOf(s));
  return STEP_ORDER[best];
}

export interface AggregateInput {
  readonly children: readonly Status[];
  readonly candidates: readonly Status[];
  readonly hasErrors: boolean;
  readonly interrupted: boolean;
}

/** First matching rule wins (reference: service-spec.md §9.2, rest-api.md §2.3). */
export function aggregate({ children, candidates, hasErrors, interrupted }: AggregateInput): Status {
  const anyChild = (s: Status) => children.includes(s);
  const anyCand = (...s: Status[]) => candidates.some((c) => s.includes(c));
  if (hasErrors || anyChild('ERROR')) return 'ERROR';
  if (children.every((c) => c === 'COMPLETE')) return 'COMPLETE';
  if (interrupted) return 'WAITING';
  if (candidates.every((c) => c === 'DELAYED') && children.every((c) => c === 'DELAYED')) return 'DELAYED';
  if (anyChild('PREPARED')) return 'IN_PROGRESS';
  if (anyCand('WAITING')) return 'WAITING';
  if (anyCand('IN_PROGRESS')) return 'IN_PROGRESS';
  // Deliberate difference: a candidate waiting out its launch backoff (DELAYED) is pending work. The
  // original fell through to rule 13 here and showed ERROR for e.g. a serial [DELAYED, PENDING] phase.
  if (anyChild('COMPLETE') && anyCand('PENDING', 'DELAYED', 'STARTING', 'STARTED')) return 'IN_PROGRESS';
  if (anyCand('PENDING') || (candidates.length > 0 && candidates.every((c) => c === 'DELAYED'))) return 'PENDING';
  if (anyChild('WAITING')) return 'WAITING';
  if (anyCand('STARTING')) return 'STARTING';
  if (anyCand('STARTED')) return 'STARTED';
  return 'ERROR';
}

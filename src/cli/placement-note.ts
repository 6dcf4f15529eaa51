// Why a step waits for resources, from the scheduler's placement log (GET /v2/debug/offers, what
// `svc debug offers` shows): the newest evaluation of each step that is still a refusal.
import type { OffersJson, SvcClient } from '../client/index.js';
import type { PlanJson } from '../plan/json.js';

/** Step name → the reasons its last placement failed, for steps not placed yet. */
export function placementNotes(offers: OffersJson, plan: PlanJson): Map<string, string[]> {
  const waiting = new Set(plan.phases.flatMap((ph) => ph.steps.filter((st) => st.status === 'PENDING' || st.status === 'PREPARED').map((st) => st.name)));
  const latest = new Map<string, OffersJson['offers'][number]>();
  for (const e of offers.offers ?? []) {
    const prev = latest.get(e['pod-instance-name']);
    if (!prev || e.timestamp >= prev.timestamp) latest.set(e['pod-instance-name'], e);
  }
  const notes = new Map<string, string[]>();
  for (const [step, e] of latest) if (waiting.has(step) && e.outcome === 'fail') notes.set(step, e.explanation);
  return notes;
}

/** One line for a progress line or a timeout message: the first reason, and how many more. */
export function placementSummary(reasons: readonly string[]): string {
  const more = reasons.length > 1 ? `; ${reasons.length - 1} more: svc debug offers` : '';
  return `not placed: ${reasons[0]}${more}`;
}

/** The notes, or none when the scheduler does not keep a placement log (an older one, or an error). */
export async function fetchPlacementNotes(client: SvcClient, plan: PlanJson): Promise<Map<string, string[]>> {
  try {
    return placementNotes((await client.debugOffers()).body, plan);
  } catch {
    return new Map();
  }
}

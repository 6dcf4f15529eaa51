// Finding plan elements from the `phase` and `step` query parameters (rest-api.md §2.5): a value
// that parses as a UUID is compared with ids, anything else with names (exact, case-sensitive).
import type { Phase, Plan, Step } from './plan.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function matches(el: { readonly id: string; readonly name: string }, idOrName: string): boolean {
  return UUID.test(idOrName) ? el.id.toLowerCase() === idOrName.toLowerCase() : el.name === idOrName;
}

/** Every phase matching (`continue`/`interrupt` act on all of them). */
export const findPhases = (plan: Plan, idOrName: string): Phase[] => plan.phases.filter((p) => matches(p, idOrName));

/** The one step matching inside the phase; none when zero or several match. */
export function findStep(phase: Phase, idOrName: string): Step | undefined {
  const found = phase.steps.filter((s) => matches(s, idOrName));
  return found.length === 1 ? found[0] : undefined;
}

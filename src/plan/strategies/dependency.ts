import type { Child, Prerequisites } from './types.js';

/**
 * `dependency`: eligible children whose prerequisites are all COMPLETE. Only direct prerequisites
 * are checked (as in the original), so a builder that wants a chain lists every ancestor. A
 * prerequisite that is no longer among the children counts as met, so removing a child never
 * blocks the others for ever.
 */
export function dependencyCandidates<C extends Child>(children: readonly C[], prerequisites: Prerequisites): C[] {
  const present = new Set(children.map((c) => c.id));
  const complete = new Set(children.filter((c) => c.complete).map((c) => c.id));
  const met = (id: string) => !present.has(id) || complete.has(id);
  return children.filter((c) => c.eligible && (prerequisites[c.id] ?? []).every(met));
}

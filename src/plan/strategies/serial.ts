import type { Child } from './types.js';

/**
 * The chain the original builds on its first evaluation: the children not complete at that moment,
 * in order, each waiting for all earlier ones. Children already complete stay out of the chain, so
 * if one is restarted later it runs without waiting (a quirk we keep).
 */
export function serialChain(children: readonly Child[]): string[] {
  return children.filter((c) => !c.complete).map((c) => c.id);
}

/**
 * `serial`: the eligible chained children whose earlier chain members are all COMPLETE (a member no
 * longer among the children counts as complete), plus eligible children outside the chain. Without
 * a frozen chain every child is chained, i.e. the first incomplete child if it is eligible. Either
 * way an ERROR or interrupted child blocks everything after it. One pass: a chain of 1,000 steps
 * costs 1,000 checks, not the 500,000 of checking each step's predecessors.
 */
export function serialCandidates<C extends Child>(children: readonly C[], chain: readonly string[] = children.map((c) => c.id)): C[] {
  const byId = new Map(children.map((c) => [c.id, c]));
  const chained = new Set(chain);
  const picked = new Set<string>();
  let earlierComplete = true;
  for (const id of chain) {
    const c = byId.get(id);
    if (!c) continue;
    if (earlierComplete && c.eligible) picked.add(id);
    earlierComplete &&= c.complete;
  }
  return children.filter((c) => picked.has(c.id) || (!chained.has(c.id) && c.eligible));
}

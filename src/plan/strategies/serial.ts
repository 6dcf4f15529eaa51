import { dependencyCandidates } from './dependency.js';
import type { Child, Prerequisites } from './types.js';

/**
 * The chain the original builds on its first evaluation: the children not complete at that moment,
 * each depending on all earlier ones. Children already complete stay out of the chain, so if one
 * is restarted later it runs without waiting (a quirk we keep).
 */
export function serialChain(children: readonly Child[]): Prerequisites {
  const incomplete = children.filter((c) => !c.complete).map((c) => c.id);
  return Object.fromEntries(incomplete.map((id, i) => [id, incomplete.slice(0, i)]));
}

/**
 * `serial`: with a frozen chain, the eligible children whose chain predecessors are COMPLETE; with
 * none, every child counts as chained, i.e. the first incomplete child if it is eligible. Either
 * way an ERROR or interrupted child blocks everything after it.
 */
export function serialCandidates<C extends Child>(children: readonly C[], chain?: Prerequisites): C[] {
  return dependencyCandidates(children, chain ?? serialChain(children.map((c) => ({ ...c, complete: false }))));
}

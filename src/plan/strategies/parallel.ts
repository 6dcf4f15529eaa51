import type { Child } from './types.js';

/** `parallel`: every eligible child at once. */
export function parallelCandidates<C extends Child>(children: readonly C[]): C[] {
  return children.filter((c) => c.eligible);
}

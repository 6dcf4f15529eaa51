// A strategy answers one question: which children may be worked on now.
export type StrategyName = 'serial' | 'parallel' | 'dependency';

export interface ChildState {
  readonly complete: boolean;
  readonly eligible: boolean;
}

export function candidateIndexes(strategy: StrategyName, children: readonly ChildState[]): number[] {
  if (strategy === 'parallel' || strategy === 'dependency') {
    return children.flatMap((c, i) => (c.eligible ? [i] : []));
  }
  // serial: the first incomplete child, if it is eligible; an ERROR or interrupted child blocks the rest.
  const first = children.findIndex((c) => !c.complete);
  return first >= 0 && children[first].eligible ? [first] : [];
}

// Strategy names and the dispatch from a name to its candidate rule (one file per rule in
// strategies/). A strategy answers one question: which children may be worked on now.
import { dependencyCandidates } from './strategies/dependency.js';
import { parallelCandidates } from './strategies/parallel.js';
import { serialCandidates } from './strategies/serial.js';
import type { Child, Prerequisites } from './strategies/types.js';

export type { Child, Prerequisites } from './strategies/types.js';
export { serialChain } from './strategies/serial.js';
export { CANARY_STEP_COUNT, pickCanarySteps } from './strategies/canary.js';

export type BaseStrategyName = 'serial' | 'parallel' | 'dependency';
/** As reported in plan JSON (`strategy`); canary variants exist for phases only. */
export type StrategyName = BaseStrategyName | 'serial-canary' | 'parallel-canary' | 'dependency-canary';

export const isCanary = (s: StrategyName): boolean => s.endsWith('-canary');
export const innerStrategy = (s: StrategyName): BaseStrategyName => s.replace(/-canary$/, '') as BaseStrategyName;

/** Order fixed when a plan is built: a serial chain, or dependency prerequisites. */
export interface FrozenOrder {
  readonly chain?: readonly string[];
  readonly prerequisites?: Prerequisites;
}

/** The candidate rule of a non-canary strategy. `dependency` without prerequisites is `parallel`. */
export function baseCandidates<C extends Child>(strategy: BaseStrategyName, children: readonly C[], order: FrozenOrder = {}): C[] {
  switch (strategy) {
    case 'serial':
      return serialCandidates(children, order.chain);
    case 'parallel':
      return parallelCandidates(children);
    case 'dependency':
      return dependencyCandidates(children, order.prerequisites ?? {});
  }
}

// What every strategy sees of one child (a step of a phase, or a phase of a plan). Strategies are
// pure: they get these views and answer "which children may be worked on now", nothing else.

export interface Child {
  readonly id: string;
  readonly complete: boolean;
  /** Not complete, not in error, not interrupted, not conflicting with a dirty asset. */
  readonly eligible: boolean;
}

/** Child id → ids of the children that must be COMPLETE before it may start. */
export type Prerequisites = Readonly<Record<string, readonly string[]>>;

/** A plan could not be generated from the spec (the original refused to start in these cases). */
export class PlanBuildError extends Error {
  override readonly name = 'PlanBuildError';
}

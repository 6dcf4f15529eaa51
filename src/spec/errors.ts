import type { SpecIssue } from './types.js';

/** A spec that cannot be used; the message lists every issue with its YAML path. */
export class SpecError extends Error {
  constructor(
    readonly issues: readonly SpecIssue[],
    readonly source = 'svc.yml',
  ) {
    super(`invalid service spec ${source}:\n` + issues.map((i) => `- ${i.path ? i.path + ': ' : ''}${i.message}`).join('\n'));
    this.name = 'SpecError';
  }
}

import type { SpecIssue } from './types.js';

/** Issues shown in a message before the rest are counted: a broken file can yield hundreds. */
export const SHOWN_ISSUES = 20;

/** `- path: message` lines, the first `max` of them, then `- … N more`. */
export function issueLines(issues: readonly SpecIssue[], max = SHOWN_ISSUES): string {
  const lines = issues.slice(0, max).map((i) => `- ${i.path ? i.path + ': ' : ''}${i.message}`);
  if (issues.length > max) lines.push(`- … ${issues.length - max} more`);
  return lines.join('\n');
}

/** A spec that cannot be used; the message lists every issue with its YAML path. */
export class SpecError extends Error {
  constructor(
    readonly issues: readonly SpecIssue[],
    readonly source = 'svc.yml',
  ) {
    super(`invalid service spec ${source}:\n` + issueLines(issues));
    this.name = 'SpecError';
  }
}

// The dry run of `svc update start`, as an operator reads it: changed values, then what each pod does.
import type { Change, UpdatePreview } from '../../../launcher/config-diff.js';

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? 'undefined');

/** The preview as an operator reads it. */
export function renderPreview(p: UpdatePreview): string {
  const changes = (list: readonly Change[]) => list.map((c) => `  ${c.path}: ${'from' in c && c.from !== undefined ? show(c.from) : '(none)'} → ${'to' in c && c.to !== undefined ? show(c.to) : '(removed)'}`);
  const out = [`dry run: update of ${p.name} (nothing changed)`];
  if (p.options.length > 0) out.push('options:', ...changes(p.options));
  out.push(p.spec.length > 0 ? 'spec:' : 'spec: no change', ...changes(p.spec));
  if (p.rolls.length > 0) out.push('pods:', ...p.rolls.map((r) => `  ${r}`));
  if (p.issues.length > 0) out.push('would be rejected:', ...p.issues.map((i) => `  - ${i}`));
  else if (p.spec.length === 0) out.push('nothing to update');
  return out.join('\n') + '\n';
}

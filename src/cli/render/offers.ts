// `svc debug offers`: why steps were or were not placed, as counts per reason (after nomad's
// formatAllocMetrics), then the latest rejection of each step still waiting for resources.
import type { OffersJson } from '../../client/index.js';
import { noColors, type Colors } from './colors.js';

export function renderOffers(o: OffersJson, c: Colors = noColors): string {
  const accepted = o.acceptedCount ?? 0;
  const rejected = o.rejectedCount ?? 0;
  const total = accepted + rejected;
  if (total === 0) return 'No offer evaluations recorded yet.\n';
  const out = [`${total} offer evaluation${total === 1 ? '' : 's'}: ${c.green(`${accepted} accepted`)}, ${rejected > 0 ? c.red(`${rejected} rejected`) : `${rejected} rejected`}`];

  const reasons = Object.entries(o.failureReasons ?? {}).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (reasons.length > 0) {
    out.push('', 'Rejections by reason:');
    const width = String(reasons[0][1]).length;
    for (const [reason, n] of reasons) out.push(`  ${String(n).padStart(width)}  ${reason}`);
  }

  // The newest evaluation of each step; those that failed are still waiting for a place.
  const latest = new Map<string, OffersJson['offers'][number]>();
  for (const e of o.offers ?? []) {
    const prev = latest.get(e['pod-instance-name']);
    if (!prev || e.timestamp >= prev.timestamp) latest.set(e['pod-instance-name'], e);
  }
  const waiting = [...latest.values()].filter((e) => e.outcome === 'fail').sort((a, b) => a['pod-instance-name'].localeCompare(b['pod-instance-name']));
  if (waiting.length > 0) {
    out.push('', 'Not placed at their last evaluation:');
    for (const e of waiting) {
      out.push(`  ${e['pod-instance-name']}`);
      for (const x of e.explanation) out.push(`    ${c.dim('-')} ${x}`);
    }
  }
  return out.join('\n') + '\n';
}

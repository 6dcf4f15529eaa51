// Renewal before expiry: which pods are due, on a fake clock, and what one pass does.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { duePods, IssuedLedger, renewAt, renewDue } from '../../src/tls/renewal.js';

const DAY = 86_400_000;
const year = (pod: string, from: number) => ({ podInstance: pod, notBefore: from, notAfter: from + 365 * DAY });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('renewal before expiry', () => {
  it.each([
    ['a fresh one-year certificate is not due', { a: year('web-0', 0) }, 10 * DAY, []],
    ['it is due 30 days before it expires', { a: year('web-0', 0) }, 335 * DAY, ['web-0']],
    ['an expired one is due', { a: year('web-0', 0) }, 400 * DAY, ['web-0']],
    ['a short certificate is due at two thirds of its life, not at once', { a: { podInstance: 'web-0', notBefore: 0, notAfter: 3 * DAY } }, 1.9 * DAY, []],
    ['… and is due after', { a: { podInstance: 'web-0', notBefore: 0, notAfter: 3 * DAY } }, 2 * DAY, ['web-0']],
    ['two tasks of one pod restart it once', { a: year('web-0', 0), b: year('web-0', 1) }, 350 * DAY, ['web-0']],
    ['only the pods that are due', { a: year('web-0', 0), b: year('web-1', 100 * DAY) }, 340 * DAY, ['web-0']],
  ])('%s', (_n, issued, now, want) => {
    expect(duePods(issued, now)).toEqual(want);
  });

  it('renewAt is 30 days before the end of a long certificate', () => {
    expect(renewAt(year('p', 0))).toBe(335 * DAY);
  });

  it('one pass restarts the due pods and forgets the ones that are gone; the ledger holds dates only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svc-renew-'));
    dirs.push(dir);
    const ledger = new IssuedLedger(join(dir, 'tls-issued.json'));
    ledger.record('web-0-server.svc', year('web-0', 0));
    ledger.record('web-1-server.svc', year('web-1', 0));
    ledger.record('web-2-server.svc', year('web-2', 200 * DAY));
    const restarted: string[] = [];
    const logs: string[] = [];
    const due = await renewDue({ ledger, now: () => 340 * DAY, log: (m) => logs.push(m), restart: async (p) => (p === 'web-1' ? undefined : restarted.push(p)) });
    expect(due).toEqual(['web-0', 'web-1']);
    expect(restarted).toEqual(['web-0']);
    expect(Object.keys(ledger.all()).sort()).toEqual(['web-0-server.svc', 'web-2-server.svc']);
    expect(logs[0]).toBe('renewing the TLS certificates of web-0: restarting it before they expire');
    expect(readFileSync(join(dir, 'tls-issued.json'), 'utf8')).not.toMatch(/BEGIN|KEY/);
  });
});

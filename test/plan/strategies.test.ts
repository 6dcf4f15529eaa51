import { describe, expect, it } from 'vitest';
import { canaryCandidates, canaryInterrupted, nextCanaryStep, pickCanarySteps, type CanaryChild } from '../../src/plan/strategies/canary.js';
import { dependencyCandidates } from '../../src/plan/strategies/dependency.js';
import { parallelCandidates } from '../../src/plan/strategies/parallel.js';
import { serialCandidates, serialChain } from '../../src/plan/strategies/serial.js';
import type { Child, Prerequisites } from '../../src/plan/strategies/types.js';

/** Children from a compact notation: `c` complete, `e` eligible, `x` not eligible (error/interrupted/dirty), `i` held canary. */
function kids(spec: string): CanaryChild[] {
  return [...spec].map((ch, i) => ({ id: `c${i}`, complete: ch === 'c', eligible: ch === 'e', interrupted: ch === 'i' }));
}
const ids = (xs: readonly Child[]) => xs.map((c) => c.id);

describe('serial', () => {
  const rows: Array<[string, string, string[] | undefined, string[]]> = [
    ['the first child runs first', 'eee', undefined, ['c0']],
    ['a complete child lets the next one run', 'cee', undefined, ['c1']],
    ['an ineligible child (ERROR or interrupted) blocks everything after it', 'cxe', undefined, []],
    ['all complete gives nothing', 'cc', undefined, []],
    ['with a frozen chain, a child complete at build time and restarted since runs beside the chain', 'ee', ['c1'], ['c0', 'c1']],
    ['with a frozen chain, chained children still wait for every earlier chained one', 'eee', ['c0', 'c1', 'c2'], ['c0']],
    ['with a frozen chain, a chained child no longer present counts as complete', 'ee', ['gone', 'c0', 'c1'], ['c0']],
    ['with a frozen chain, a complete chained child lets the next one run', 'ce', ['c0', 'c1'], ['c1']],
  ];
  it.each(rows)('%s', (_n, spec, chain, want) => {
    expect(ids(serialCandidates(kids(spec), chain))).toEqual(want);
  });

  it('the chain leaves out children complete at build time, in order', () => {
    expect(serialChain(kids('ecee'))).toEqual(['c0', 'c2', 'c3']);
  });
});

describe('parallel', () => {
  const rows: Array<[string, string, string[]]> = [
    ['every eligible child runs at once', 'eee', ['c0', 'c1', 'c2']],
    ['complete and ineligible children are skipped, and block nothing', 'cxe', ['c2']],
    ['nothing eligible gives nothing', 'cx', []],
  ];
  it.each(rows)('%s', (_n, spec, want) => {
    expect(ids(parallelCandidates(kids(spec)))).toEqual(want);
  });
});

describe('dependency', () => {
  const rows: Array<[string, string, Prerequisites, string[]]> = [
    ['children without prerequisites run at once', 'eee', {}, ['c0', 'c1', 'c2']],
    ['a child waits until its prerequisites are COMPLETE', 'eee', { c2: ['c0', 'c1'] }, ['c0', 'c1']],
    ['a child runs once all its prerequisites are COMPLETE', 'cce', { c2: ['c0', 'c1'] }, ['c2']],
    ['only direct prerequisites count (not transitive)', 'ece', { c1: ['c0'], c2: ['c1'] }, ['c0', 'c2']],
    ['a prerequisite that is no longer a child counts as met', 'e', { c0: ['gone'] }, ['c0']],
    ['an ineligible child is never a candidate, prerequisites met or not', 'cx', { c1: ['c0'] }, []],
  ];
  it.each(rows)('%s', (_n, spec, prereqs, want) => {
    expect(ids(dependencyCandidates(kids(spec), prereqs))).toEqual(want);
  });
});

describe('canary', () => {
  it('picks the first two PENDING (or already interrupted) steps, skipping complete ones', () => {
    const steps = [
      { id: 'a', pending: false, interrupted: false },
      { id: 'b', pending: true, interrupted: false },
      { id: 'c', pending: false, interrupted: true },
      { id: 'd', pending: true, interrupted: false },
    ];
    expect(pickCanarySteps(steps)).toEqual(['b', 'c']);
  });

  it('picks nothing when nothing is pending (no changes, no canary pause)', () => {
    expect(pickCanarySteps([{ id: 'a', pending: false, interrupted: false }])).toEqual([]);
  });

  const canary = ['c0', 'c1'];
  const inner = (children: CanaryChild[]) => () => serialCandidates(children);
  const rows: Array<[string, string, boolean, string[], boolean]> = [
    // [name, children, inner interrupted, candidates, interrupted]
    ['before any continue the phase is interrupted and nothing runs', 'iiee', false, [], true],
    ['after the first continue only canary step 1 runs', 'eiee', false, ['c0'], false],
    ['when canary step 1 completes the phase waits again', 'ciee', false, [], true],
    ['after the second continue the inner strategy takes over', 'ceee', false, ['c1'], false],
    ['after the canary period the inner interrupt bit counts again', 'ceee', true, ['c1'], true],
  ];
  it.each(rows)('%s', (_n, spec, innerInterrupted, want, interrupted) => {
    const children = kids(spec);
    expect(ids(canaryCandidates(canary, children, inner(children)))).toEqual(want);
    expect(canaryInterrupted(canary, children, innerInterrupted)).toBe(interrupted);
  });

  it('the next held-back canary step is the first interrupted one in release order', () => {
    expect(nextCanaryStep(canary, kids('eiee'))?.id).toBe('c1');
    expect(nextCanaryStep(canary, kids('ceee'))).toBeUndefined();
  });
});

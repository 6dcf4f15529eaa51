import { describe, expect, it } from 'vitest';
import { aggregate, lowestStatus, phaseStatus, planStatus, type AggregateInput, type Status } from '../../src/plan/index.js';
import { aPhase, aPlan, aStep, stepsWith } from './fixtures.js';

type Row = [name: string, input: Partial<AggregateInput>, want: Status];
const run = (input: Partial<AggregateInput>) => aggregate({ children: [], candidates: [], hasErrors: false, interrupted: false, ...input });

describe('aggregate: the 13 rules, first match wins', () => {
  const rows: Row[] = [
    ['1: an error on the element makes it ERROR even if every child is COMPLETE', { children: ['COMPLETE'], hasErrors: true }, 'ERROR'],
    ['1: a child in ERROR makes it ERROR even when interrupted', { children: ['ERROR', 'PENDING'], interrupted: true }, 'ERROR'],
    ['2: all children COMPLETE is COMPLETE even when interrupted', { children: ['COMPLETE', 'COMPLETE'], interrupted: true }, 'COMPLETE'],
    ['2: no children at all is COMPLETE', { children: [] }, 'COMPLETE'],
    ['3: an interrupted element is WAITING whatever its children do', { children: ['STARTING', 'PENDING'], candidates: ['STARTING'], interrupted: true }, 'WAITING'],
    ['4: all children DELAYED is DELAYED', { children: ['DELAYED', 'DELAYED'], candidates: ['DELAYED'] }, 'DELAYED'],
    ['4: DELAYED needs every child DELAYED, not just the candidates', { children: ['DELAYED', 'STARTING'], candidates: ['DELAYED', 'STARTING'] }, 'STARTING'],
    ['5: any child PREPARED is IN_PROGRESS even if it is not a candidate', { children: ['PREPARED', 'PENDING'], candidates: ['PENDING'] }, 'IN_PROGRESS'],
    ['6: a WAITING candidate makes it WAITING', { children: ['WAITING', 'PENDING'], candidates: ['WAITING', 'PENDING'] }, 'WAITING'],
    ['7: an IN_PROGRESS candidate makes it IN_PROGRESS', { children: ['IN_PROGRESS', 'PENDING'], candidates: ['IN_PROGRESS'] }, 'IN_PROGRESS'],
    ['8: a COMPLETE child and a PENDING candidate is IN_PROGRESS', { children: ['COMPLETE', 'PENDING'], candidates: ['PENDING'] }, 'IN_PROGRESS'],
    ['8: a COMPLETE child and a STARTING candidate is IN_PROGRESS', { children: ['COMPLETE', 'STARTING'], candidates: ['STARTING'] }, 'IN_PROGRESS'],
    ['8: a COMPLETE child and a STARTED candidate is IN_PROGRESS', { children: ['COMPLETE', 'STARTED'], candidates: ['STARTED'] }, 'IN_PROGRESS'],
    ['9: a PENDING candidate with nothing complete is PENDING', { children: ['PENDING', 'PENDING', 'PENDING'], candidates: ['PENDING'] }, 'PENDING'],
    ['10: a WAITING child that is no candidate makes it WAITING', { children: ['WAITING', 'STARTING'], candidates: ['STARTING'] }, 'WAITING'],
    ['11: a STARTING candidate with nothing complete is STARTING', { children: ['STARTING', 'PENDING'], candidates: ['STARTING'] }, 'STARTING'],
    ['12: a STARTED candidate with nothing complete is STARTED', { children: ['STARTED', 'PENDING'], candidates: ['STARTED'] }, 'STARTED'],
    ['9 (our difference): a DELAYED candidate beside pending work is PENDING, not the original\'s ERROR', { children: ['DELAYED', 'PENDING'], candidates: ['DELAYED'] }, 'PENDING'],
    ['8 (our difference): a DELAYED candidate after a COMPLETE child is IN_PROGRESS', { children: ['COMPLETE', 'DELAYED', 'PENDING'], candidates: ['DELAYED'] }, 'IN_PROGRESS'],
    ['13: anything else is an unexpected combination, shown as ERROR', { children: ['PENDING'], candidates: [] }, 'ERROR'],
  ];
  it.each(rows)('%s', (_name, input, want) => {
    expect(run(input)).toBe(want);
  });
});

describe('aggregation on real plans (the reference consequences)', () => {
  it('a freshly created custom plan (created interrupted) is WAITING', () => {
    const plan = aPlan([aPhase('p', 'serial', stepsWith('PENDING', 'PENDING'))], { interrupted: true });
    expect(planStatus(plan)).toBe('WAITING');
  });

  it('a plan with no phases (recovery with nothing to do) is COMPLETE', () => {
    expect(planStatus(aPlan([], { strategy: 'parallel' }))).toBe('COMPLETE');
  });

  it('a serial phase with steps [COMPLETE, STARTING, PENDING] is IN_PROGRESS', () => {
    expect(phaseStatus(aPhase('p', 'serial', stepsWith('COMPLETE', 'STARTING', 'PENDING')))).toBe('IN_PROGRESS');
  });

  it('a plan interrupted at plan level is WAITING while its phases keep their own statuses', () => {
    const plan = aPlan([aPhase('a', 'serial', stepsWith('COMPLETE', 'STARTING')), aPhase('b', 'serial', stepsWith('PENDING'))], { interrupted: true });
    expect(planStatus(plan)).toBe('WAITING');
    expect(plan.phases.map(phaseStatus)).toEqual(['IN_PROGRESS', 'PENDING']);
  });

  it('three PENDING steps are PENDING, and a first STARTING step with none complete is STARTING', () => {
    expect(phaseStatus(aPhase('p', 'serial', stepsWith('PENDING', 'PENDING', 'PENDING')))).toBe('PENDING');
    expect(phaseStatus(aPhase('p', 'serial', stepsWith('STARTING', 'PENDING')))).toBe('STARTING');
  });

  it('a serial phase whose first step is ERROR is ERROR, and so is its plan', () => {
    const plan = aPlan([aPhase('p', 'serial', stepsWith('ERROR', 'PENDING'))]);
    expect(phaseStatus(plan.phases[0])).toBe('ERROR');
    expect(planStatus(plan)).toBe('ERROR');
  });

  it('a step that could not be built (it has errors) shows ERROR whatever its stored status', () => {
    const phase = aPhase('p', 'serial', [aStep('s0', 'PENDING', { errors: ['bad step'] })]);
    expect(phaseStatus(phase)).toBe('ERROR');
  });

  it('plan-level errors (e.g. config validation) make the plan ERROR', () => {
    expect(planStatus(aPlan([aPhase('p', 'serial', stepsWith('COMPLETE'))], { errors: ['bad config'] }))).toBe('ERROR');
  });

  it('an interrupted PENDING step shows WAITING and makes its serial phase WAITING', () => {
    const phase = aPhase('p', 'serial', [aStep('s0', 'PENDING', { interrupted: true }), aStep('s1')]);
    expect(phaseStatus(phase)).toBe('WAITING');
  });
});

describe('lowestStatus: a multi-task step takes its lowest task status', () => {
  const rows: Array<[string, Status[], Status]> = [
    ['ERROR beats everything', ['COMPLETE', 'ERROR', 'DELAYED'], 'ERROR'],
    ['DELAYED beats PENDING', ['PENDING', 'DELAYED'], 'DELAYED'],
    ['PENDING beats PREPARED', ['PREPARED', 'PENDING'], 'PENDING'],
    ['PREPARED beats STARTING', ['STARTING', 'PREPARED'], 'PREPARED'],
    ['STARTING beats STARTED', ['STARTED', 'STARTING'], 'STARTING'],
    ['STARTED beats COMPLETE', ['COMPLETE', 'STARTED'], 'STARTED'],
    ['COMPLETE only when all are COMPLETE', ['COMPLETE', 'COMPLETE'], 'COMPLETE'],
  ];
  it.each(rows)('%s', (_name, statuses, want) => {
    expect(lowestStatus(statuses)).toBe(want);
  });
});

import { describe, expect, it } from 'vitest';
import { candidateSteps, expireDelays, initStrategies, phaseCandidates, planStatus, stepDisplayStatus, type Step } from '../../src/plan/index.js';
import { aPhase, aPlan, aStep, names, stepsWith } from './fixtures.js';

const podStep = (name: string, index: number, tasks: string[], status: Step['status'] = 'PENDING') =>
  aStep(name, status, { pod: { podType: 'hello', index }, tasks });

describe('candidateSteps: what the plan hands out now', () => {
  it('a serial plan works on its first incomplete phase only', () => {
    const plan = aPlan([aPhase('a', 'parallel', stepsWith('COMPLETE', 'COMPLETE')), aPhase('b', 'parallel', [aStep('b0'), aStep('b1')]), aPhase('c', 'serial', [aStep('c0')])]);
    expect(names(candidateSteps(plan, 0))).toEqual(['b0', 'b1']);
  });

  it('a parallel plan works on every phase at once', () => {
    const plan = aPlan([aPhase('a', 'serial', [aStep('a0'), aStep('a1')]), aPhase('b', 'serial', [aStep('b0')])], { strategy: 'parallel' });
    expect(names(candidateSteps(plan, 0))).toEqual(['a0', 'b0']);
  });

  it('an interrupted plan hands out nothing', () => {
    expect(candidateSteps(aPlan([aPhase('a', 'serial', [aStep('a0')])], { interrupted: true }), 0)).toEqual([]);
  });

  it('an interrupted phase hands out nothing and blocks a serial plan behind it', () => {
    const plan = aPlan([aPhase('a', 'serial', [aStep('a0')], { interrupted: true }), aPhase('b', 'serial', [aStep('b0')])]);
    expect(candidateSteps(plan, 0)).toEqual([]);
    expect(planStatus(plan)).toBe('WAITING');
  });

  it('a DELAYED step still backing off is held back; once its delay is over it is handed out', () => {
    const plan = aPlan([aPhase('a', 'parallel', [aStep('a0', 'DELAYED', { delayedUntil: 5000 }), aStep('a1')])]);
    expect(names(candidateSteps(plan, 4999))).toEqual(['a1']);
    expect(names(candidateSteps(plan, 5000))).toEqual(['a0', 'a1']);
  });

  it('a step conflicting with a dirty asset (same instance, a common task) is skipped, others are not', () => {
    const plan = aPlan([aPhase('a', 'parallel', [podStep('h0-init', 0, ['init']), podStep('h0-main', 0, ['main']), podStep('h1', 1, ['init'])])]);
    const dirty = [{ podType: 'hello', index: 0, tasks: ['init'] }];
    expect(names(candidateSteps(plan, 0, dirty))).toEqual(['h0-main', 'h1']);
  });

  it('a step with errors is no candidate even if its stored status was overwritten, and its ERROR phase blocks the plan', () => {
    const plan = aPlan([aPhase('a', 'parallel', [aStep('a0', 'PENDING', { errors: ['cannot build'] }), aStep('a1')])]);
    expect(stepDisplayStatus(plan.phases[0].steps[0])).toBe('ERROR');
    expect(names(phaseCandidates(plan.phases[0]))).toEqual(['a1']);
    expect(candidateSteps(plan, 0)).toEqual([]);
  });

  it('a dependency plan runs its phases together except the one waiting on all others (uninstall)', () => {
    const plan = aPlan([aPhase('kill', 'parallel', [aStep('k0')]), aPhase('unreserve', 'parallel', [aStep('u0')]), aPhase('deregister', 'serial', [aStep('d')])], {
      strategy: 'dependency',
      prerequisites: { deregister: ['kill', 'unreserve'] },
    });
    expect(names(candidateSteps(plan, 0))).toEqual(['k0', 'u0']);
    plan.phases[0].steps[0].status = 'COMPLETE';
    plan.phases[1].steps[0].status = 'COMPLETE';
    expect(names(candidateSteps(plan, 0))).toEqual(['d']);
  });
});

describe('serial chains are fixed when the plan is built', () => {
  it('a step complete at build and restarted later runs beside the chain, not before it', () => {
    const phase = aPhase('p', 'serial', stepsWith('COMPLETE', 'PENDING', 'PENDING'));
    initStrategies(aPlan([phase]));
    phase.steps[0].status = 'PENDING';
    expect(names(phaseCandidates(phase))).toEqual(['s0', 's1']);
  });

  it('without a fixed chain a serial phase runs its first incomplete step only', () => {
    const phase = aPhase('p', 'serial', stepsWith('PENDING', 'PENDING'));
    expect(names(phaseCandidates(phase))).toEqual(['s0']);
  });

  it('initStrategies is idempotent: a second call keeps the first chain', () => {
    const phase = aPhase('p', 'serial', stepsWith('COMPLETE', 'PENDING'));
    const plan = aPlan([phase]);
    initStrategies(plan);
    phase.steps[1].status = 'COMPLETE';
    initStrategies(plan);
    expect(phase.chain).toEqual(['s1']);
  });
});

describe('expireDelays', () => {
  it('turns DELAYED steps whose backoff is over back to PENDING and returns them', () => {
    const plan = aPlan([aPhase('a', 'serial', [aStep('a0', 'DELAYED', { delayedUntil: 100 }), aStep('a1', 'DELAYED', { delayedUntil: 300 })])]);
    expect(names(expireDelays(plan, 200))).toEqual(['a0']);
    expect(plan.phases[0].steps.map((s) => [s.status, s.delayedUntil])).toEqual([
      ['PENDING', undefined],
      ['DELAYED', 300],
    ]);
  });
});

// A canary phase through its whole life, driven by the operator commands (service-spec.md §9.3).
import { describe, expect, it } from 'vitest';
import { buildPlansFromSpec, candidateSteps, interruptPlan, phaseStatus, planStatus, planToJson, proceedPlan, restartPlan, stepDisplayStatus, type Plan } from '../../src/plan/index.js';
import type { StepsSpec } from '../../src/spec/index.js';
import { aPhaseSpec, aPlanSpec, aPod, aSpec, names, seqIds, steps } from './fixtures.js';

function canaryPlan(strategy: string, stepSpec?: StepsSpec, tasks = ['server']): Plan {
  const spec = aSpec([aPod('hello', 4, tasks)], [aPlanSpec('deploy', [aPhaseSpec('hello', 'hello', strategy, stepSpec)])]);
  return buildPlansFromSpec(spec, seqIds()).deploy;
}
const shown = (plan: Plan) => plan.phases[0].steps.map(stepDisplayStatus);
const candidates = (plan: Plan) => names(candidateSteps(plan, 0));
const complete = (plan: Plan, i: number) => (plan.phases[0].steps[i].status = 'COMPLETE');
const ok = { kind: 'done' };
const reported = { kind: 'already' };

describe('serial-canary', () => {
  it('starts with its first two steps held back: phase and plan WAITING, nothing to do', () => {
    const plan = canaryPlan('serial-canary');
    expect(shown(plan)).toEqual(['WAITING', 'WAITING', 'PENDING', 'PENDING']);
    expect([phaseStatus(plan.phases[0]), planStatus(plan)]).toEqual(['WAITING', 'WAITING']);
    expect(planToJson(plan).phases[0].strategy).toBe('serial-canary');
    expect(candidates(plan)).toEqual([]);
  });

  it('a plan-level continue is accepted but releases nothing', () => {
    const plan = canaryPlan('serial-canary');
    expect(proceedPlan(plan)).toMatchObject(ok);
    expect(candidates(plan)).toEqual([]);
  });

  it('an interrupt before any release is already reported (the phase counts as interrupted)', () => {
    expect(interruptPlan(canaryPlan('serial-canary'), 'hello')).toMatchObject(reported);
  });

  it('the first phase continue runs canary step 1 only; when it completes the phase waits again', () => {
    const plan = canaryPlan('serial-canary');
    expect(proceedPlan(plan, 'hello')).toMatchObject(ok);
    expect(candidates(plan)).toEqual(['hello-0:[server]']);
    expect(planStatus(plan)).toBe('PENDING');
    complete(plan, 0);
    expect(candidates(plan)).toEqual([]);
    expect([phaseStatus(plan.phases[0]), planStatus(plan)]).toEqual(['WAITING', 'WAITING']);
  });

  it('an interrupt while canary step 1 runs is accepted but ignored', () => {
    const plan = canaryPlan('serial-canary');
    proceedPlan(plan, 'hello');
    expect(interruptPlan(plan, 'hello')).toMatchObject(ok);
    expect(plan.phases[0].interrupted).toBe(false);
    expect(candidates(plan)).toEqual(['hello-0:[server]']);
  });

  it('the second continue releases canary step 2, then serial order governs the rest', () => {
    const plan = canaryPlan('serial-canary');
    proceedPlan(plan, 'hello');
    complete(plan, 0);
    expect(proceedPlan(plan, 'hello')).toMatchObject(ok);
    expect(candidates(plan)).toEqual(['hello-1:[server]']);
    complete(plan, 1);
    expect(candidates(plan)).toEqual(['hello-2:[server]']);
    complete(plan, 2);
    complete(plan, 3);
    expect(planStatus(plan)).toBe('COMPLETE');
  });

  it('after the canary period interrupt and continue work on the phase as usual', () => {
    const plan = canaryPlan('serial-canary');
    proceedPlan(plan, 'hello');
    proceedPlan(plan, 'hello');
    expect(interruptPlan(plan, 'hello')).toMatchObject(ok);
    expect(candidates(plan)).toEqual([]);
    expect(phaseStatus(plan.phases[0])).toBe('WAITING');
    expect(proceedPlan(plan, 'hello')).toMatchObject(ok);
    expect(candidates(plan)).toEqual(['hello-0:[server]']);
  });

  it('restarting a held-back canary step releases it', () => {
    const plan = canaryPlan('serial-canary');
    expect(restartPlan(plan, 'hello', 'hello-0:[server]')).toMatchObject(ok);
    expect(candidates(plan)).toEqual(['hello-0:[server]']);
  });
});

describe('parallel-canary', () => {
  it('after two continues every remaining step runs at once', () => {
    const plan = canaryPlan('parallel-canary');
    proceedPlan(plan, 'hello');
    expect(candidates(plan)).toEqual(['hello-0:[server]']);
    complete(plan, 0);
    proceedPlan(plan, 'hello');
    expect(candidates(plan)).toEqual(['hello-1:[server]', 'hello-2:[server]', 'hello-3:[server]']);
  });
});

describe('dependency-canary (parallel-canary with custom steps)', () => {
  it('holds back the first two steps, then runs instances in parallel and each instance in order', () => {
    const plan = canaryPlan('parallel-canary', steps({ default: [['init'], ['main']] }), ['init', 'main']);
    expect(plan.phases[0].strategy).toBe('dependency-canary');
    expect(shown(plan).slice(0, 3)).toEqual(['WAITING', 'WAITING', 'PENDING']);
    proceedPlan(plan, 'hello');
    expect(candidates(plan)).toEqual(['hello-0:[init]']);
    complete(plan, 0);
    proceedPlan(plan, 'hello');
    expect(candidates(plan)).toEqual(['hello-0:[main]', 'hello-1:[init]', 'hello-2:[init]', 'hello-3:[init]']);
  });
});

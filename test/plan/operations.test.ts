import { beforeEach, describe, expect, it } from 'vitest';
import {
  forceComplete,
  initStrategies,
  interruptPlan,
  phaseCandidates,
  phaseStatus,
  planStatus,
  proceedPlan,
  restartPlan,
  runPlanCommand,
  startPlan,
  stepDisplayStatus,
  stopPlan,
  type Plan,
  type Status,
} from '../../src/plan/index.js';
import { aPhase, aPlan, aStep, names } from './fixtures.js';

const ID_A = '00000000-0000-4000-8000-00000000000a';
const ID_B = '00000000-0000-4000-8000-00000000000b';
const ID_A0 = '00000000-0000-4000-8000-0000000000a0';

/** deploy: phase `a` (id ID_A) with a0, a1; phase `b` with b0; all statuses given. */
function twoPhases(a0: Status = 'PENDING', a1: Status = 'PENDING', b0: Status = 'PENDING'): Plan {
  return aPlan([
    aPhase('a', 'serial', [aStep('a0', a0, { id: ID_A0 }), aStep('a1', a1)], { id: ID_A }),
    aPhase('b', 'serial', [aStep('b0', b0)], { id: ID_B }),
  ]);
}
const reported = { kind: 'already' };
const received = (cmd: string) => expect.objectContaining({ kind: 'done', message: `Received cmd: ${cmd}` });
const statuses = (plan: Plan) => plan.phases.flatMap((p) => p.steps.map(stepDisplayStatus));

describe('interrupt', () => {
  it('without phase: interrupts the plan; running steps keep running, nothing new is handed out', () => {
    const plan = twoPhases('STARTING');
    expect(interruptPlan(plan)).toEqual(received('interrupt'));
    expect(plan.interrupted).toBe(true);
    expect(planStatus(plan)).toBe('WAITING');
    expect(statuses(plan)).toEqual(['STARTING', 'PENDING', 'PENDING']);
  });

  it('without phase: already when the plan is already interrupted', () => {
    const plan = twoPhases();
    plan.interrupted = true;
    expect(interruptPlan(plan)).toEqual(reported);
  });

  it('without phase: already when the plan is COMPLETE', () => {
    expect(interruptPlan(twoPhases('COMPLETE', 'COMPLETE', 'COMPLETE'))).toEqual(reported);
  });

  it('with a phase name: interrupts that phase only', () => {
    const plan = twoPhases();
    expect(interruptPlan(plan, 'a')).toEqual(received('interrupt'));
    expect(plan.phases.map((p) => p.interrupted)).toEqual([true, false]);
    expect(plan.interrupted).toBe(false);
  });

  it('with a phase id: interrupts the phase with that id', () => {
    const plan = twoPhases();
    interruptPlan(plan, ID_B);
    expect(plan.phases.map((p) => p.interrupted)).toEqual([false, true]);
  });

  it('with a phase name several phases share: interrupts all of them', () => {
    const plan = aPlan([aPhase('x', 'serial', [aStep('x0')], { id: 'x1' }), aPhase('x', 'serial', [aStep('x1')], { id: 'x2' })]);
    interruptPlan(plan, 'x');
    expect(plan.phases.map((p) => p.interrupted)).toEqual([true, true]);
  });

  it('with a phase: already when every matching phase is already interrupted, or COMPLETE', () => {
    const plan = twoPhases('COMPLETE', 'COMPLETE');
    expect(interruptPlan(plan, 'a')).toEqual(reported);
    plan.phases[1].interrupted = true;
    expect(interruptPlan(plan, 'b')).toEqual(reported);
  });

  it('with an unknown phase (or an empty one): phase not found', () => {
    expect(interruptPlan(twoPhases(), 'nope')).toEqual({ kind: 'not-found', what: 'phase', name: 'nope' });
    expect(interruptPlan(twoPhases(), '')).toEqual({ kind: 'not-found', what: 'phase', name: '' });
  });

  it('names are compared exactly: a different case is not found', () => {
    expect(interruptPlan(twoPhases(), 'A')).toMatchObject({ kind: 'not-found' });
  });
});

describe('continue', () => {
  it('without phase: clears the plan interrupt', () => {
    const plan = twoPhases();
    plan.interrupted = true;
    expect(proceedPlan(plan)).toEqual(received('continue'));
    expect(plan.interrupted).toBe(false);
    expect(planStatus(plan)).toBe('PENDING');
  });

  it('without phase: already when the plan is running', () => {
    expect(proceedPlan(twoPhases('STARTING'))).toEqual(reported);
    expect(proceedPlan(twoPhases('COMPLETE'))).toEqual(reported); // IN_PROGRESS
  });

  it('without phase: already when the plan is COMPLETE', () => {
    expect(proceedPlan(twoPhases('COMPLETE', 'COMPLETE', 'COMPLETE'))).toEqual(reported);
  });

  it('without phase: a PENDING plan that is not interrupted still gets 200 (nothing to do)', () => {
    expect(proceedPlan(twoPhases())).toEqual(received('continue'));
  });

  it('without phase: does not clear phase-level interrupts', () => {
    const plan = twoPhases();
    plan.phases[0].interrupted = true;
    proceedPlan(plan);
    expect(plan.phases[0].interrupted).toBe(true);
  });

  it('with a phase: clears that phase interrupt', () => {
    const plan = twoPhases();
    plan.phases[0].interrupted = true;
    expect(proceedPlan(plan, 'a')).toEqual(received('continue'));
    expect(plan.phases[0].interrupted).toBe(false);
  });

  it('with a phase: already when every matching phase is running, or COMPLETE', () => {
    expect(proceedPlan(twoPhases('STARTING'), 'a')).toEqual(reported);
    expect(proceedPlan(twoPhases('COMPLETE', 'COMPLETE'), 'a')).toEqual(reported);
  });

  it('with an unknown phase: 404', () => {
    expect(proceedPlan(twoPhases(), 'nope')).toEqual({ kind: 'not-found', what: 'phase', name: 'nope' });
  });
});

describe('forceComplete', () => {
  it('without phase and step: completes every step of the plan', () => {
    const plan = twoPhases('STARTING', 'DELAYED');
    expect(forceComplete(plan)).toEqual(received('forceComplete for Plan: deploy, Phase: null, Step: null'));
    expect(statuses(plan)).toEqual(['COMPLETE', 'COMPLETE', 'COMPLETE']);
    expect(planStatus(plan)).toBe('COMPLETE');
  });

  it('with a phase: completes that phase only', () => {
    const plan = twoPhases();
    expect(forceComplete(plan, 'a')).toEqual(received('forceComplete for Plan: deploy, Phase: a, Step: null'));
    expect(statuses(plan)).toEqual(['COMPLETE', 'COMPLETE', 'PENDING']);
  });

  it('with a phase and a step (by id): completes that step only, echoing the raw values', () => {
    const plan = twoPhases();
    expect(forceComplete(plan, ID_A, ID_A0)).toEqual(received(`forceComplete for Plan: deploy, Phase: ${ID_A}, Step: ${ID_A0}`));
    expect(statuses(plan)).toEqual(['COMPLETE', 'PENDING', 'PENDING']);
  });

  it('an empty phase and step count as absent (the whole plan), echoed as given', () => {
    const plan = twoPhases();
    expect(forceComplete(plan, '', '')).toEqual(received('forceComplete for Plan: deploy, Phase: , Step: '));
    expect(planStatus(plan)).toBe('COMPLETE');
  });

  it('uses the first phase when several share the name', () => {
    const plan = aPlan([aPhase('x', 'serial', [aStep('s', 'PENDING', { id: 's1' })], { id: 'x1' }), aPhase('x', 'serial', [aStep('s', 'PENDING', { id: 's2' })], { id: 'x2' })]);
    forceComplete(plan, 'x', 's');
    expect(statuses(plan)).toEqual(['COMPLETE', 'PENDING']);
  });

  const errors: Array<[string, string | undefined, string | undefined, object]> = [
    ['a step without a phase: missing phase', undefined, 'a0', { kind: 'missing-phase' }],
    ['an unknown phase is not found', 'nope', 'a0', { kind: 'not-found', what: 'phase', name: 'nope' }],
    ['an unknown step is not found', 'a', 'nope', { kind: 'not-found', what: 'step', name: 'nope' }],
    ['a step of another phase is not found', 'a', 'b0', { kind: 'not-found', what: 'step', name: 'b0' }],
  ];
  it.each(errors)('%s', (_n, phase, step, outcome) => {
    expect(forceComplete(twoPhases(), phase, step)).toEqual(outcome);
  });

  it('a step name matching two steps of the phase is 404 (ambiguous)', () => {
    const plan = aPlan([aPhase('x', 'serial', [aStep('s', 'PENDING', { id: 's1' }), aStep('s', 'PENDING', { id: 's2' })])]);
    expect(forceComplete(plan, 'x', 's')).toEqual({ kind: 'not-found', what: 'step', name: 's' });
  });

  it('208 when the target is already COMPLETE', () => {
    expect(forceComplete(twoPhases('COMPLETE'), 'a', 'a0')).toEqual(reported);
    expect(forceComplete(twoPhases('COMPLETE', 'COMPLETE'), 'a')).toEqual(reported);
    expect(forceComplete(twoPhases('COMPLETE', 'COMPLETE', 'COMPLETE'))).toEqual(reported);
  });
});

describe('restart', () => {
  it('sends every step of the target back to PENDING, clears backoff and reports the steps', () => {
    const plan = twoPhases('COMPLETE', 'DELAYED');
    plan.phases[0].steps[1].delayedUntil = 99;
    const result = restartPlan(plan, 'a');
    expect(result).toEqual(received('restart for Plan: deploy, Phase: a, Step: null'));
    expect(result.kind === 'done' && names(result.restarted)).toEqual(['a0', 'a1']);
    expect(plan.phases[0].steps.map((s) => [s.status, s.delayedUntil])).toEqual([
      ['PENDING', undefined],
      ['PENDING', undefined],
    ]);
  });

  const targets: Array<[string, string | undefined, string | undefined, (p: Plan) => boolean]> = [
    ['the plan (phase interrupts stay)', undefined, undefined, (p) => !p.interrupted && p.phases[0].interrupted],
    ['the phase', 'a', undefined, (p) => p.interrupted && !p.phases[0].interrupted],
    ['the step', 'a', 'a0', (p) => p.interrupted && p.phases[0].interrupted && !p.phases[0].steps[0].interrupted],
  ];
  it.each(targets)('un-interrupts its target before restarting it: %s', (_n, phase, step, check) => {
    const plan = twoPhases('COMPLETE', 'COMPLETE', 'COMPLETE');
    plan.interrupted = true;
    plan.phases[0].interrupted = true;
    plan.phases[0].steps[0].interrupted = true;
    expect(restartPlan(plan, phase, step)).toMatchObject({ kind: 'done' });
    expect(check(plan)).toBe(true);
  });

  it('208 when the target is PENDING', () => {
    expect(restartPlan(twoPhases())).toEqual(reported);
    expect(restartPlan(twoPhases(), 'a')).toEqual(reported);
    expect(restartPlan(twoPhases(), 'a', 'a0')).toEqual(reported);
  });

  it('a WAITING (interrupted) step is not PENDING, so it can be restarted', () => {
    const plan = twoPhases();
    plan.phases[0].steps[0].interrupted = true;
    expect(restartPlan(plan, 'a', 'a0')).toEqual(received('restart for Plan: deploy, Phase: a, Step: a0'));
  });

  it('shares the resolution errors of forceComplete', () => {
    expect(restartPlan(twoPhases('COMPLETE'), '', 'a0')).toEqual({ kind: 'missing-phase' });
    expect(restartPlan(twoPhases('COMPLETE'), 'a', 'zz')).toEqual({ kind: 'not-found', what: 'step', name: 'zz' });
  });
});

describe('start', () => {
  let plan: Plan;
  beforeEach(() => {
    plan = twoPhases();
    plan.interrupted = true;
  });

  it('stores the parameters, un-interrupts the plan and echoes them as a Java map', () => {
    expect(startPlan(plan, { A: '1', B_2: 'x=y' })).toEqual(received('start deploy with parameters: {A=1, B_2=x=y}'));
    expect(plan.parameters).toEqual({ A: '1', B_2: 'x=y' });
    expect(plan.interrupted).toBe(false);
  });

  it('accepts no parameters, shown as {}', () => {
    expect(startPlan(plan, {})).toEqual(received('start deploy with parameters: {}'));
  });

  it('replaces previous parameters rather than merging', () => {
    startPlan(plan, { A: '1' });
    startPlan(plan, { B: '2' });
    expect(plan.parameters).toEqual({ B: '2' });
  });

  it('restarts a COMPLETE plan, reporting every step as restarted', () => {
    const done = twoPhases('COMPLETE', 'COMPLETE', 'COMPLETE');
    const result = startPlan(done, {});
    expect(statuses(done)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    expect(result.kind === 'done' && result.restarted).toHaveLength(3);
  });

  it('leaves a plan in progress as it is (never already) and keeps phase-level interrupts', () => {
    const running = twoPhases('STARTING');
    running.phases[1].interrupted = true;
    expect(startPlan(running, {})).toMatchObject({ kind: 'done' });
    expect(statuses(running)).toEqual(['STARTING', 'PENDING', 'PENDING']);
    expect(running.phases[1].interrupted).toBe(true);
  });

  const bad: Array<[string, string]> = [
    ['a key starting with a digit', '1A'],
    ['a key with a dash', 'A-B'],
    ['an empty key', ''],
    ['a key with a dot', 'a.b'],
  ];
  it.each(bad)('rejects %s with 400 and changes nothing', (_n, key) => {
    expect(startPlan(plan, { OK: '1', [key]: 'v' })).toEqual({ kind: 'bad-parameter', name: key });
    expect(plan.interrupted).toBe(true);
    expect(plan.parameters).toEqual({});
  });

  it('accepts underscores and digits after the first character', () => {
    expect(startPlan(plan, { _a9: '1', Z: '2' })).toMatchObject({ kind: 'done' });
  });
});

describe('stop', () => {
  it('interrupts the plan and sends every step back to PENDING (WAITING), always 200', () => {
    const plan = twoPhases('COMPLETE', 'STARTING');
    const result = stopPlan(plan);
    expect(result).toEqual(received('stop'));
    expect(result.kind === 'done' && result.restarted).toHaveLength(3);
    expect(planStatus(plan)).toBe('WAITING');
    expect(statuses(plan)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    expect(stopPlan(plan)).toEqual(received('stop'));
  });

  it('a later start resumes from scratch', () => {
    const plan = twoPhases('COMPLETE', 'STARTING');
    stopPlan(plan);
    startPlan(plan, {});
    expect(planStatus(plan)).toBe('PENDING');
  });
});

describe('runPlanCommand: one entry point for the API', () => {
  it('checks start parameters before looking the plan up', () => {
    expect(runPlanCommand(undefined, 'nope', { kind: 'start', parameters: { 'bad-key': 'x' } })).toMatchObject({ kind: 'bad-parameter' });
    expect(runPlanCommand(undefined, 'nope', { kind: 'start', parameters: {} })).toEqual({ kind: 'not-found', what: 'plan', name: 'nope' });
  });

  const kinds = ['stop', 'interrupt', 'continue', 'forceComplete', 'restart'] as const;
  it.each(kinds)('%s on an unknown plan is 404 Plan <x> not found', (kind) => {
    expect(runPlanCommand(undefined, 'nope', { kind })).toEqual({ kind: 'not-found', what: 'plan', name: 'nope' });
  });

  it('dispatches each command to its operation', () => {
    const plan = twoPhases('COMPLETE');
    expect(runPlanCommand(plan, 'deploy', { kind: 'interrupt', phase: 'b' })).toEqual(received('interrupt'));
    expect(runPlanCommand(plan, 'deploy', { kind: 'continue', phase: 'b' })).toEqual(received('continue'));
    expect(runPlanCommand(plan, 'deploy', { kind: 'forceComplete', phase: 'a', step: 'a1' })).toMatchObject({ kind: 'done' });
    expect(phaseStatus(plan.phases[0])).toBe('COMPLETE');
    expect(runPlanCommand(plan, 'deploy', { kind: 'restart', phase: 'a' })).toMatchObject({ kind: 'done' });
    expect(runPlanCommand(plan, 'deploy', { kind: 'stop' })).toEqual(received('stop'));
    expect(runPlanCommand(plan, 'deploy', { kind: 'start', parameters: { K: 'v' } })).toEqual(received('start deploy with parameters: {K=v}'));
  });
});

describe('operations and the strategy chains', () => {
  it('force-completing a serial step out of order leaves later steps waiting for every earlier one', () => {
    const plan = aPlan([aPhase('p', 'serial', [aStep('s0'), aStep('s1'), aStep('s2')])]);
    initStrategies(plan);
    forceComplete(plan, 'p', 's1');
    expect(names(phaseCandidates(plan.phases[0]))).toEqual(['s0']);
    expect(phaseStatus(plan.phases[0])).toBe('IN_PROGRESS');
  });
});

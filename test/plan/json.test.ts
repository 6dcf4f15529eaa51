import { describe, expect, it } from 'vitest';
import { planToJson } from '../../src/plan/index.js';
import { aPhase, aPlan, aStep } from './fixtures.js';

describe('planToJson: the wire shape of GET /v1/plans/<plan>', () => {
  it('uses the original field names at every level, and no id or name on the plan', () => {
    const plan = aPlan([aPhase('hello', 'serial', [aStep('hello-0:[server]', 'COMPLETE', { id: 'step-id' })], { id: 'phase-id' })]);
    expect(planToJson(plan)).toEqual({
      phases: [
        {
          id: 'phase-id',
          name: 'hello',
          steps: [{ id: 'step-id', name: 'hello-0:[server]', status: 'COMPLETE', message: 'DeploymentStep: hello-0:[server] [step-id] with status: COMPLETE' }],
          strategy: 'serial',
          status: 'COMPLETE',
        },
      ],
      strategy: 'serial',
      errors: [],
      status: 'COMPLETE',
    });
  });

  it('shows display statuses, and says so in the message when they differ from the stored one', () => {
    const plan = aPlan([aPhase('p', 'serial', [aStep('s0', 'PENDING', { interrupted: true })])]);
    expect(planToJson(plan).phases[0].steps[0]).toMatchObject({ status: 'WAITING', message: 'DeploymentStep: s0 [s0] with status: PENDING (display:WAITING)' });
  });

  it('flattens the plan errors and every step error into errors', () => {
    const plan = aPlan([aPhase('p', 'serial', [aStep('s0', 'ERROR', { errors: ['step broke'] })])], { errors: ['config invalid'] });
    expect(planToJson(plan)).toMatchObject({ errors: ['config invalid', 'step broke'], status: 'ERROR' });
  });

  it('reports the phase strategy name, canary variants included', () => {
    const plan = aPlan([aPhase('p', 'parallel-canary', [aStep('s0')], { canarySteps: [] })], { strategy: 'parallel' });
    expect(planToJson(plan)).toMatchObject({ strategy: 'parallel', phases: [{ strategy: 'parallel-canary' }] });
  });

  it('shows PAUSING for a paused pod still launching and PAUSED once it runs (STARTED or COMPLETE); aggregation ignores it', () => {
    const plan = aPlan([aPhase('p', 'parallel', [aStep('s0', 'STARTING'), aStep('s1', 'COMPLETE'), aStep('s2', 'PENDING'), aStep('s3', 'STARTED'), aStep('s4', 'PREPARED')])]);
    const json = planToJson(plan, { paused: () => true });
    expect(json.phases[0].steps.map((s) => s.status)).toEqual(['PAUSING', 'PAUSED', 'PENDING', 'PAUSED', 'PAUSING']);
    expect(json.phases[0].steps[1].message).toBe('DeploymentStep: s1 [s1] with status: COMPLETE (display:PAUSED)');
    expect(json.phases[0].status).toBe('IN_PROGRESS');
  });

  it('names decommission and uninstall steps after what they do', () => {
    const plan = aPlan([aPhase('p', 'serial', [aStep('unreserve-r1', 'PENDING', { action: { kind: 'unreserve', resourceId: 'r1' } })])]);
    expect(planToJson(plan).phases[0].steps[0].message).toBe('ResourceCleanupStep: unreserve-r1 [unreserve-r1] with status: PENDING');
  });
});

// Plans the scheduler generates itself: decommission and uninstall (service-spec.md §10).
import { describe, expect, it } from 'vitest';
import { buildDecommissionPlan, buildUninstallPlan, candidateSteps, planStatus, podsToDecommission, type StoredPodInstance } from '../../src/plan/index.js';
import { aPod, aSpec, names, seqIds } from './fixtures.js';

const stored = (podType: string, index: number, tasks = ['server'], resourceIds = [`res-${podType}-${index}`]): StoredPodInstance => ({
  podType,
  index,
  tasks: tasks.map((t) => `${podType}-${index}-${t}`),
  resourceIds,
});
const instanceNames = (xs: readonly StoredPodInstance[]) => xs.map((p) => `${p.podType}-${p.index}`);

describe('podsToDecommission', () => {
  const spec = aSpec([aPod('first', 1, ['server']), aPod('second', 2, ['server'])]);
  const rows: Array<[string, StoredPodInstance[], string[]]> = [
    ['nothing when every stored instance is still wanted', [stored('first', 0), stored('second', 1)], []],
    ['an index ≥ count is removed', [stored('second', 0), stored('second', 2)], ['second-2']],
    ['higher indices go first within a pod type', [stored('second', 2), stored('second', 4), stored('second', 3)], ['second-4', 'second-3', 'second-2']],
    ['pod types declared later go first (reverse of deployment)', [stored('first', 1), stored('second', 2)], ['second-2', 'first-1']],
    ['pod types gone from the spec go before all others, alphabetically', [stored('first', 1), stored('zeta', 0), stored('alpha', 0)], ['alpha-0', 'zeta-0', 'first-1']],
  ];
  it.each(rows)('%s', (_n, input, want) => {
    expect(instanceNames(podsToDecommission(spec, input))).toEqual(want);
  });
});

describe('buildDecommissionPlan', () => {
  const spec = aSpec([aPod('hello', 1, ['server', 'sidecar'])]);

  it('is absent when nothing is to be removed', () => {
    expect(buildDecommissionPlan(spec, [stored('hello', 0)], seqIds())).toBeUndefined();
  });

  it('has one serial phase per instance: kill each task, unreserve each resource, erase each task', () => {
    const plan = buildDecommissionPlan(spec, [stored('hello', 1, ['server', 'sidecar'], ['r1', 'r2'])], seqIds());
    expect(plan).toBeDefined();
    if (!plan) return;
    expect([plan.name, plan.strategy, plan.interrupted]).toEqual(['decommission', 'serial', false]);
    expect(plan.phases.map((p) => [p.name, p.strategy, names(p.steps)])).toEqual([
      ['hello-1', 'serial', ['kill-hello-1-server', 'kill-hello-1-sidecar', 'unreserve-r1', 'unreserve-r2', 'erase-hello-1-server', 'erase-hello-1-sidecar']],
    ]);
    expect(plan.phases[0].steps.map((s) => s.action)).toEqual([
      { kind: 'kill', task: 'hello-1-server' },
      { kind: 'kill', task: 'hello-1-sidecar' },
      { kind: 'unreserve', resourceId: 'r1' },
      { kind: 'unreserve', resourceId: 'r2' },
      { kind: 'erase', task: 'hello-1-server' },
      { kind: 'erase', task: 'hello-1-sidecar' },
    ]);
    expect(plan.phases[0].steps[0].pod).toEqual({ podType: 'hello', index: 1 });
    expect(names(candidateSteps(plan, 0))).toEqual(['kill-hello-1-server']);
  });

  it('removes instances one at a time, in removal order', () => {
    const plan = buildDecommissionPlan(spec, [stored('hello', 1), stored('hello', 2)], seqIds());
    expect(plan && names(plan.phases)).toEqual(['hello-2', 'hello-1']);
    expect(plan && names(candidateSteps(plan, 0))).toEqual(['kill-hello-2-server']);
  });
});

describe('buildUninstallPlan (served as deploy)', () => {
  const input = {
    taskIds: ['hello-0-server__1', 'hello-1-server__2'],
    reservations: [
      { hostname: 'agent-a', resourceId: 'r1' },
      { hostname: 'agent-b', resourceId: 'r2' },
      { hostname: 'agent-a', resourceId: 'r3' },
    ],
  };

  it('names its phases and steps as the original does, with a dependency plan strategy', () => {
    const plan = buildUninstallPlan(input, seqIds());
    expect([plan.name, plan.strategy]).toEqual(['deploy', 'dependency']);
    expect(plan.phases.map((p) => [p.name, p.strategy, names(p.steps)])).toEqual([
      ['kill-tasks', 'parallel', ['kill-task-hello-0-server__1', 'kill-task-hello-1-server__2']],
      ['unreserve-resources-agent-a', 'parallel', ['unreserve-r1', 'unreserve-r3']],
      ['unreserve-resources-agent-b', 'parallel', ['unreserve-r2']],
      ['deregister-service', 'serial', ['deregister']],
    ]);
  });

  it('adds a tls-cleanup phase when a task used transport encryption', () => {
    const plan = buildUninstallPlan({ ...input, tlsCleanup: true }, seqIds());
    expect(names(plan.phases)).toContain('tls-cleanup');
    expect(plan.phases.find((p) => p.name === 'tls-cleanup')?.steps.map((s) => s.name)).toEqual(['tls-cleanup']);
  });

  it('runs everything at once except deregister, which waits for all other phases', () => {
    const plan = buildUninstallPlan(input, seqIds());
    expect(names(candidateSteps(plan, 0))).toEqual(['kill-task-hello-0-server__1', 'kill-task-hello-1-server__2', 'unreserve-r1', 'unreserve-r3', 'unreserve-r2']);
    for (const phase of plan.phases.slice(0, -1)) for (const s of phase.steps) s.status = 'COMPLETE';
    expect(names(candidateSteps(plan, 0))).toEqual(['deregister']);
    plan.phases[3].steps[0].status = 'COMPLETE';
    expect(planStatus(plan)).toBe('COMPLETE');
  });

  it('with nothing left to clean up only deregisters', () => {
    const plan = buildUninstallPlan({ taskIds: [], reservations: [] }, seqIds());
    expect(names(candidateSteps(plan, 0))).toEqual(['deregister']);
  });
});

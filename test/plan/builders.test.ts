// Builders on specs mirroring the SDK's specs (test/fixtures/dcos-commons), built by hand so these
// tests do not depend on the spec parser.
import { describe, expect, it } from 'vitest';
import {
  buildDeployPlan,
  buildPlansFromSpec,
  candidateSteps,
  PlanBuildError,
  planStatus,
  planToJson,
  stepDisplayStatus,
  type Plan,
  type Status,
  type Step,
} from '../../src/plan/index.js';
import type { PodSpec, ServiceSpec } from '../../src/spec/index.js';
import { aPhaseSpec, aPlanSpec, aPod, aSpec, aTask, names, seqIds, steps } from './fixtures.js';

const stepNames = (plan: Plan) => plan.phases.map((p) => [p.name, names(p.steps)]);
const strategies = (plan: Plan) => [plan.strategy, ...plan.phases.map((p) => p.strategy)];
const build = (spec: ServiceSpec, opts = {}) => buildPlansFromSpec(spec, seqIds(), opts);

describe('the default deploy plan (no plans: section)', () => {
  const spec = aSpec([aPod('hello', 2, ['server']), aPod('world', 3, ['init', 'server'])]);

  it('has one serial phase per pod, named after it, with one step per instance launching all its tasks', () => {
    const { deploy, custom } = build(spec);
    expect(deploy.name).toBe('deploy');
    expect(strategies(deploy)).toEqual(['serial', 'serial', 'serial']);
    expect(stepNames(deploy)).toEqual([
      ['hello', ['hello-0:[server]', 'hello-1:[server]']],
      ['world', ['world-0:[init, server]', 'world-1:[init, server]', 'world-2:[init, server]']],
    ]);
    expect(deploy.phases[1].steps[2]).toMatchObject({ pod: { podType: 'world', index: 2 }, tasks: ['init', 'server'] });
    expect(custom).toEqual([]);
  });

  it('is what buildDeployPlan builds too, running immediately with empty parameters', () => {
    const deploy = buildDeployPlan(spec, seqIds());
    expect(stepNames(deploy)).toEqual(stepNames(build(spec).deploy));
    expect(deploy.interrupted).toBe(false);
    expect(deploy.parameters).toEqual({});
    expect(names(candidateSteps(deploy, 0))).toEqual(['hello-0:[server]']);
  });

  it('gives every plan, phase and step a fresh id from the injected generator', () => {
    const deploy = buildDeployPlan(spec, seqIds());
    const all = [...deploy.phases.map((p) => p.id), ...deploy.phases.flatMap((p) => p.steps.map((s) => s.id))];
    expect(new Set(all).size).toBe(all.length);
    expect(all.every((id) => id.startsWith('00000000-0000-4000-8000-'))).toBe(true);
  });

  it('builds steps of a pod whose tasks share a resource set in ERROR, named after the instance (shared-resource-set.yml)', () => {
    const shared = aSpec([aPod('pod', 2, [aTask('init', { goal: 'ONCE', resourceSet: 'shared-resources' }), aTask('server', { resourceSet: 'shared-resources' })])]);
    const deploy = buildDeployPlan(shared, seqIds());
    expect(names(deploy.phases[0].steps)).toEqual(['pod-0', 'pod-1']);
    expect(deploy.phases[0].steps[0].errors).toEqual([
      'Attempted to simultaneously launch tasks: [init, server] in pod: pod-0 using the same resource set id: [shared-resources, shared-resources]. These tasks should either be run in separate steps or use different resource set ids',
    ]);
    expect(planStatus(deploy)).toBe('ERROR');
    expect(planToJson(deploy).errors).toHaveLength(2);
  });

  it('builds a step whose tasks share a discovery prefix in ERROR', () => {
    const pod = aPod('pod', 1, [aTask('a', { discovery: { prefix: 'x', visibility: 'FRAMEWORK' } }), aTask('b', { discovery: { prefix: 'x', visibility: 'FRAMEWORK' } })]);
    const step = buildDeployPlan(aSpec([pod]), seqIds()).phases[0].steps[0];
    expect(step.errors[0]).toContain('using the same DNS name: [x, x]');
  });

  it('applies initialStatus to every step it can build, but keeps steps with errors in ERROR', () => {
    const shared = aSpec([aPod('ok', 1, ['server']), aPod('bad', 1, [aTask('a', { resourceSet: 'r' }), aTask('b', { resourceSet: 'r' })])]);
    const deploy = buildDeployPlan(shared, seqIds(), { initialStatus: () => 'COMPLETE' });
    expect(deploy.phases.map((p) => stepDisplayStatus(p.steps[0]))).toEqual(['COMPLETE', 'ERROR']);
  });
});

describe('YAML plans from the corpus', () => {
  it('helloworld/plan.yml: serial deploy of two parallel phases; manual plans created interrupted (WAITING)', () => {
    const pods = [aPod('hello', 2, ['server']), aPod('world', 2, ['server']), aPod('custom-pod-A', 1, ['simple-task']), aPod('custom-pod-B', 1, ['simple-task']), aPod('custom-pod-C', 1, ['simple-task'])];
    const spec = aSpec(pods, [
      aPlanSpec('deploy', [aPhaseSpec('hello-deploy', 'hello', 'parallel'), aPhaseSpec('world-deploy', 'world', 'parallel')]),
      aPlanSpec('manual-plan-0', [aPhaseSpec('manual-plan-0-phase', 'custom-pod-A')]),
      aPlanSpec('manual-plan-1', [aPhaseSpec('manual-plan-1-phase', 'custom-pod-B')]),
      aPlanSpec('manual-plan-2', [aPhaseSpec('manual-plan-2-phase', 'custom-pod-C')]),
    ]);
    const { deploy, custom } = build(spec);
    expect(strategies(deploy)).toEqual(['serial', 'parallel', 'parallel']);
    expect(stepNames(deploy)).toEqual([
      ['hello-deploy', ['hello-0:[server]', 'hello-1:[server]']],
      ['world-deploy', ['world-0:[server]', 'world-1:[server]']],
    ]);
    expect(names(candidateSteps(deploy, 0))).toEqual(['hello-0:[server]', 'hello-1:[server]']);
    expect(names(custom)).toEqual(['manual-plan-0', 'manual-plan-1', 'manual-plan-2']);
    expect(custom.map((p) => [p.interrupted, planStatus(p), candidateSteps(p, 0).length])).toEqual([
      [true, 'WAITING', 0],
      [true, 'WAITING', 0],
      [true, 'WAITING', 0],
    ]);
    expect(stepNames(custom[0])).toEqual([['manual-plan-0-phase', ['custom-pod-A-0:[simple-task]']]]);
  });

  it('helloworld/multistep_plan.yml: default [[first], [second]] gives one step per task group, per instance', () => {
    const spec = aSpec([aPod('hello', 2, ['first', 'second']), aPod('world', 2, ['server'])], [
      aPlanSpec('deploy', [aPhaseSpec('hello-deploy', 'hello', 'serial', steps({ default: [['first'], ['second']] })), aPhaseSpec('world-deploy', 'world', 'serial', steps({ default: [['server']] }))]),
    ]);
    const { deploy } = build(spec);
    expect(strategies(deploy)).toEqual(['serial', 'serial', 'serial']);
    expect(stepNames(deploy)).toEqual([
      ['hello-deploy', ['hello-0:[first]', 'hello-0:[second]', 'hello-1:[first]', 'hello-1:[second]']],
      ['world-deploy', ['world-0:[server]', 'world-1:[server]']],
    ]);
  });

  it('helloworld/sidecar.yml: parallel phases with custom steps report dependency; sidecar plans wait to be started', () => {
    const pod = aPod('hello', 2, [
      aTask('server', { resourceSet: 'hello-resources' }),
      aTask('once', { goal: 'ONCE', resourceSet: 'sidecar-resources' }),
      aTask('sidecar', { goal: 'ONCE', resourceSet: 'sidecar-resources' }),
      aTask('sidecar-parameterized', { goal: 'ONCE', resourceSet: 'sidecar-resources' }),
      aTask('sidecar-toxic', { goal: 'ONCE', resourceSet: 'sidecar-resources' }),
    ]);
    const phase = (name: string, task: string) => aPhaseSpec(name, 'hello', 'parallel', steps({ default: [[task]] }));
    const spec = aSpec([pod], [
      aPlanSpec('deploy', [phase('server-deploy', 'server'), phase('once-deploy', 'once')]),
      aPlanSpec('sidecar', [phase('sidecar-deploy', 'sidecar')]),
      aPlanSpec('sidecar-parameterized', [phase('sidecar-parameterized-deploy', 'sidecar-parameterized')]),
      aPlanSpec('sidecar-toxic', [phase('sidecar-toxic-deploy', 'sidecar-toxic')]),
    ]);
    const { deploy, custom } = build(spec);
    expect(strategies(deploy)).toEqual(['serial', 'dependency', 'dependency']);
    expect(stepNames(deploy)).toEqual([
      ['server-deploy', ['hello-0:[server]', 'hello-1:[server]']],
      ['once-deploy', ['hello-0:[once]', 'hello-1:[once]']],
    ]);
    expect(names(candidateSteps(deploy, 0))).toEqual(['hello-0:[server]', 'hello-1:[server]']);
    expect(custom.map((p) => [p.name, planStatus(p), ...strategies(p)])).toEqual([
      ['sidecar', 'WAITING', 'serial', 'dependency'],
      ['sidecar-parameterized', 'WAITING', 'serial', 'dependency'],
      ['sidecar-toxic', 'WAITING', 'serial', 'dependency'],
    ]);
  });

  describe('sdk-tests/custom-phases.yml: every strategy and steps combination', () => {
    const pod = aPod('hello', 3, [aTask('server', { resourceSet: 'hello-resources' }), aTask('once', { goal: 'ONCE', resourceSet: 'once-resources' })]);
    const phases = [
      aPhaseSpec('server', 'hello', 'parallel', steps({ default: [['server']] })),
      aPhaseSpec('once', 'hello', 'parallel', steps({ default: [['once']] })),
      aPhaseSpec('interleave', 'hello', 'serial', steps({ default: [['once'], ['server']] })),
      aPhaseSpec('parallel-tasks', 'hello', 'serial', steps({ default: [['once', 'server']] })),
      aPhaseSpec('parallel-strategy', 'hello', 'parallel', steps({ default: [['once', 'server']] })),
      aPhaseSpec('parallel-pods', 'hello', 'parallel', steps({ default: [['once'], ['server']] })),
      aPhaseSpec('full-custom', 'hello', 'serial', steps({ 0: [['once'], ['server']], 1: [['server'], ['once']], 2: [['server']] })),
      aPhaseSpec('partial-custom', 'hello', 'serial', steps({ 1: [['once'], ['server']], default: [['server'], ['once']] })),
    ];
    const { deploy } = build(aSpec([pod], [aPlanSpec('deploy', phases)]));
    const byName = (n: string) => deploy.phases.find((p) => p.name === n) as Plan['phases'][number];
    const rows: Array<[string, string, string[], string[]]> = [
      // [phase, reported strategy, steps, first candidates]
      ['server', 'dependency', ['hello-0:[server]', 'hello-1:[server]', 'hello-2:[server]'], ['hello-0:[server]', 'hello-1:[server]', 'hello-2:[server]']],
      ['once', 'dependency', ['hello-0:[once]', 'hello-1:[once]', 'hello-2:[once]'], ['hello-0:[once]', 'hello-1:[once]', 'hello-2:[once]']],
      ['interleave', 'serial', ['hello-0:[once]', 'hello-0:[server]', 'hello-1:[once]', 'hello-1:[server]', 'hello-2:[once]', 'hello-2:[server]'], ['hello-0:[once]']],
      ['parallel-tasks', 'serial', ['hello-0:[once, server]', 'hello-1:[once, server]', 'hello-2:[once, server]'], ['hello-0:[once, server]']],
      ['parallel-strategy', 'dependency', ['hello-0:[once, server]', 'hello-1:[once, server]', 'hello-2:[once, server]'], ['hello-0:[once, server]', 'hello-1:[once, server]', 'hello-2:[once, server]']],
      ['parallel-pods', 'dependency', ['hello-0:[once]', 'hello-0:[server]', 'hello-1:[once]', 'hello-1:[server]', 'hello-2:[once]', 'hello-2:[server]'], ['hello-0:[once]', 'hello-1:[once]', 'hello-2:[once]']],
      ['full-custom', 'serial', ['hello-0:[once]', 'hello-0:[server]', 'hello-1:[server]', 'hello-1:[once]', 'hello-2:[server]'], ['hello-0:[once]']],
      ['partial-custom', 'serial', ['hello-0:[server]', 'hello-0:[once]', 'hello-1:[once]', 'hello-1:[server]', 'hello-2:[server]', 'hello-2:[once]'], ['hello-0:[server]']],
    ];
    it.each(rows)('phase %s reports %s', (phase, strategy, stepList, first) => {
      const p = byName(phase);
      expect(p.strategy).toBe(strategy);
      expect(names(p.steps)).toEqual(stepList);
      expect(names(candidateSteps({ ...deploy, phases: [p], chain: undefined }, 0))).toEqual(first);
    });

    it('parallel-pods: a pod instance moves to its next step when its previous one completes, independently of the others', () => {
      const p = byName('parallel-pods');
      p.steps[0].status = 'COMPLETE'; // hello-0:[once]
      expect(names(candidateSteps({ ...deploy, phases: [p], chain: undefined }, 0))).toEqual(['hello-0:[server]', 'hello-1:[once]', 'hello-2:[once]']);
    });
  });

  it('sdk-tests/resource-set-seq.yml: entries for some indices only, each instance uses its own entry', () => {
    const pod = aPod('name', 2, [aTask('node', { resourceSet: 'name-resources' }), aTask('format', { goal: 'ONCE', resourceSet: 'name-resources' })]);
    const { deploy } = build(aSpec([pod], [aPlanSpec('deploy', [aPhaseSpec('nn-deploy', 'name', 'serial', steps({ 0: [['format']], 1: [['node']] }))])]));
    expect(stepNames(deploy)).toEqual([['nn-deploy', ['name-0:[format]', 'name-1:[node]']]]);
  });
});

describe('the steps syntax (service-spec.md §8.2 examples, pod hello with count 2)', () => {
  const pod = aPod('hello', 2, ['init', 'main']);
  const rows: Array<[string, ReturnType<typeof steps> | undefined, string[]]> = [
    ['omitted: all tasks of the pod in declaration order, one step per instance', undefined, ['hello-0:[init, main]', 'hello-1:[init, main]']],
    ['default: [[init], [main]]: one step per group, instance by instance', steps({ default: [['init'], ['main']] }), ['hello-0:[init]', 'hello-0:[main]', 'hello-1:[init]', 'hello-1:[main]']],
    ['default: [[main, init]]: a group keeps its own task order', steps({ default: [['main', 'init']] }), ['hello-0:[main, init]', 'hello-1:[main, init]']],
    ['0: [[init], [main]] with default: [[main]]: the index entry wins for its instance', steps({ 0: [['init'], ['main']], default: [['main']] }), ['hello-0:[init]', 'hello-0:[main]', 'hello-1:[main]']],
    ['entries for indices ≥ count are ignored', steps({ default: [['main']], 5: [['init']] }), ['hello-0:[main]', 'hello-1:[main]']],
  ];
  it.each(rows)('%s', (_n, stepSpec, want) => {
    const { deploy } = build(aSpec([pod], [aPlanSpec('deploy', [aPhaseSpec('p', 'hello', 'serial', stepSpec)])]));
    expect(names(deploy.phases[0].steps)).toEqual(want);
  });
});

describe('plan generation errors', () => {
  const pod = aPod('hello', 2, ['init', 'main']);
  const deployWith = (phase: ReturnType<typeof aPhaseSpec>, strategy = 'serial') => aSpec([pod], [aPlanSpec('deploy', [phase], strategy)]);
  const rows: Array<[string, ServiceSpec, string]> = [
    ['plans without a deploy plan', aSpec([pod], [aPlanSpec('other', [aPhaseSpec('p', 'hello')])]), 'No deploy plan provided'],
    ['an unsupported plan strategy', deployWith(aPhaseSpec('p', 'hello'), 'serial-canary'), "Unsupported plan strategy 'serial-canary', expected one of: [serial, parallel]"],
    ['an unsupported phase strategy', deployWith(aPhaseSpec('p', 'hello', 'random')), "Unsupported phase strategy 'random', expected one of: [serial, parallel, serial-canary, canary, parallel-canary]"],
    ['a phase naming an unknown pod', deployWith(aPhaseSpec('p', 'nope')), "Unable to find pod 'nope' referenced by phase 'p'"],
    ['an instance with neither its own entry nor default', deployWith(aPhaseSpec('p', 'hello', 'serial', steps({ 0: [['init']] }))), "Malformed steps in phase 'p': Missing '1' step entry, and no 'default' defined"],
    ['a step naming a task the pod does not have', deployWith(aPhaseSpec('p', 'hello', 'serial', steps({ default: [['other']] }))), "Phase 'p': step refers to a task that does not exist: 'other' in pod 'hello'"],
    [
      'the same key twice (invalid-plan-steps.yml)',
      deployWith(aPhaseSpec('p', 'hello', 'serial', [{ key: '0', groups: [['init']] }, { key: '0', groups: [['main']] }, { key: 'default', groups: [['main']] }])),
      "Malformed steps in phase 'p': duplicate step entry '0'",
    ],
  ];
  it.each(rows)('%s is a PlanBuildError', (_n, spec, message) => {
    expect(() => build(spec)).toThrow(new PlanBuildError(message));
  });
});

describe('canary phases', () => {
  const pod = aPod('hello', 4, ['server']);
  const canarySpec = (strategy: string, stepSpec?: ReturnType<typeof steps>) => aSpec([pod], [aPlanSpec('deploy', [aPhaseSpec('p', 'hello', strategy, stepSpec)])]);
  const rows: Array<[string, string | undefined, string]> = [
    ['serial-canary', undefined, 'serial-canary'],
    ['canary', undefined, 'serial-canary'],
    ['parallel-canary', undefined, 'parallel-canary'],
    ['parallel-canary', 'custom steps', 'dependency-canary'],
    ['serial-canary', 'custom steps', 'serial-canary'],
  ];
  it.each(rows)('YAML %s (%s) is reported as %s and holds back its first two steps', (yaml, custom, reported) => {
    const { deploy } = build(canarySpec(yaml, custom ? steps({ default: [['server']] }) : undefined));
    const phase = deploy.phases[0];
    expect(phase.strategy).toBe(reported);
    expect(phase.steps.map(stepDisplayStatus)).toEqual(['WAITING', 'WAITING', 'PENDING', 'PENDING']);
    expect(planStatus(deploy)).toBe('WAITING');
    expect(candidateSteps(deploy, 0)).toEqual([]);
  });

  it('picks its canary steps from the initial statuses: steps already complete are not canaries', () => {
    const done = new Set(['hello-0:[server]']);
    const initialStatus = (s: Step): Status => (done.has(s.name) ? 'COMPLETE' : 'PENDING');
    const { deploy } = build(canarySpec('serial-canary'), { initialStatus });
    expect(deploy.phases[0].steps.map(stepDisplayStatus)).toEqual(['COMPLETE', 'WAITING', 'WAITING', 'PENDING']);
  });

  it('has no canary pause when nothing is pending at build time', () => {
    const { deploy } = build(canarySpec('serial-canary'), { initialStatus: () => 'COMPLETE' });
    expect(deploy.phases[0].canarySteps).toEqual([]);
    expect(planStatus(deploy)).toBe('COMPLETE');
  });
});

describe('the update plan', () => {
  const pod = aPod('hello', 2, ['server']);
  const spec = aSpec([pod], [
    aPlanSpec('deploy', [aPhaseSpec('deploy-phase', 'hello', 'serial')]),
    aPlanSpec('update', [aPhaseSpec('update-phase', 'hello', 'parallel')], 'parallel'),
    aPlanSpec('backup', [aPhaseSpec('backup-phase', 'hello')]),
  ]);

  it('is dropped before the first completed deployment: deploy rolls out', () => {
    const { deploy, custom } = build(spec, { deploymentCompleted: false });
    expect(names(deploy.phases)).toEqual(['deploy-phase']);
    expect(names(custom)).toEqual(['backup']);
  });

  it('replaces deploy, under the name deploy, once deployment has completed', () => {
    const { deploy, custom } = build(spec, { deploymentCompleted: true });
    expect(deploy.name).toBe('deploy');
    expect(names(deploy.phases)).toEqual(['update-phase']);
    expect(strategies(deploy)).toEqual(['parallel', 'parallel']);
    expect(deploy.interrupted).toBe(false);
    expect(names(custom)).toEqual(['backup']);
  });

  it('changes nothing when there is no update plan', () => {
    const noUpdate = aSpec([pod], [aPlanSpec('deploy', [aPhaseSpec('deploy-phase', 'hello')])]);
    expect(names(build(noUpdate, { deploymentCompleted: true }).deploy.phases)).toEqual(['deploy-phase']);
  });
});

describe('custom plans and initial statuses', () => {
  it('a custom plan whose steps already reached their goal is COMPLETE, not WAITING', () => {
    const spec = aSpec([aPod('hello', 1, [aTask('sidecar', { goal: 'ONCE' })])], [aPlanSpec('deploy', [aPhaseSpec('d', 'hello')]), aPlanSpec('sidecar', [aPhaseSpec('s', 'hello')])]);
    const { custom } = build(spec, { initialStatus: () => 'COMPLETE' });
    expect(planStatus(custom[0])).toBe('COMPLETE');
  });

  it('pod specs are not modified by building', () => {
    const pods: PodSpec[] = [aPod('hello', 1, ['server'])];
    const before = JSON.stringify(pods);
    build(aSpec(pods));
    expect(JSON.stringify(pods)).toBe(before);
  });
});

// Builders with valid defaults for plan tests: a test changes only what it is about.
import type { IdGen, Phase, Plan, Status, Step, StrategyName } from '../../src/plan/index.js';
import type { PhaseSpec, PlanSpec, PodSpec, ServiceSpec, StepsSpec, TaskSpec } from '../../src/spec/index.js';

/** UUID-shaped, deterministic ids, so phase/step lookups by id take the UUID path. */
export function seqIds(): IdGen {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

export function aTask(name: string, over: Partial<TaskSpec> = {}): TaskSpec {
  return {
    name,
    goal: 'RUNNING',
    essential: true,
    cmd: `./${name}`,
    env: {},
    cpus: 0.1,
    gpus: 0,
    memory: 32,
    ports: [],
    volumes: [],
    resourceSet: `${name}-resource-set`,
    configs: [],
    killGracePeriod: 0,
    labels: {},
    transportEncryption: [],
    ...over,
  };
}

/** Tasks given by name get a private resource set each. */
export function aPod(name: string, count: number, tasks: ReadonlyArray<string | TaskSpec>, over: Partial<PodSpec> = {}): PodSpec {
  return {
    name,
    count,
    constraints: [],
    allowDecommission: false,
    volumes: [],
    tasks: tasks.map((t) => (typeof t === 'string' ? aTask(t) : t)),
    resourceSets: [],
    uris: [],
    networks: [],
    rlimits: [],
    secrets: [],
    user: 'root',
    sharePidNamespace: false,
    preReservedRole: '*',
    hostVolumes: [],
    externalVolumes: [],
    seccompUnconfined: false,
    ...over,
  };
}

export function aSpec(pods: readonly PodSpec[], plans: readonly PlanSpec[] = []): ServiceSpec {
  return { name: 'hello-world', scheduler: { principal: 'p', user: 'root', zookeeper: 'master.mesos:2181' }, role: 'hello-world-role', pods, plans };
}

export const aPlanSpec = (name: string, phases: readonly PhaseSpec[], strategy = 'serial'): PlanSpec => ({ name, strategy, phases });

export const aPhaseSpec = (name: string, pod: string, strategy = 'serial', steps?: StepsSpec): PhaseSpec => ({ name, pod, strategy, ...(steps ? { steps } : {}) });

/** `steps({ default: [['init'], ['main']] })` in YAML order. */
export const steps = (entries: Record<string, string[][]>): StepsSpec => Object.entries(entries).map(([key, groups]) => ({ key, groups }));

// ---- plan model fixtures (ids are the names, for readable assertions) ----

export function aStep(name: string, status: Status = 'PENDING', over: Partial<Step> = {}): Step {
  return { id: name, name, status, interrupted: false, tasks: [], errors: [], ...over };
}

export function aPhase(name: string, strategy: StrategyName, stepList: Step[], over: Partial<Phase> = {}): Phase {
  return { id: name, name, strategy, steps: stepList, interrupted: false, ...over };
}

export function aPlan(phases: Phase[], over: Partial<Plan> = {}): Plan {
  return { name: 'deploy', strategy: 'serial', phases, interrupted: false, errors: [], parameters: {}, ...over };
}

/** Steps `s0`, `s1`, … with the given statuses. */
export const stepsWith = (...statuses: Status[]): Step[] => statuses.map((st, i) => aStep(`s${i}`, st));

export const names = (xs: ReadonlyArray<{ readonly name: string }>): string[] => xs.map((x) => x.name);

// A real Scheduler in-process over the test engine, an in-memory state store and a fake clock: a
// scenario of minutes of backoff and timeouts runs in milliseconds, with no process and no sleep.
import { planStatus, type Plan, type Status } from '../../src/plan/index.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { chooseTarget } from '../../src/scheduler/target.js';
import { parseServiceSpec } from '../../src/spec/index.js';
import { MemoryPersister, StateStore, type TaskRecord } from '../../src/state/index.js';
import { FakeClock } from '../support/fake-clock.js';
import { TestEngine, type TestEngineOptions } from '../support/test-engine.js';

let ids = 0;
const newId = () => `id${++ids}`;

export interface Harness {
  readonly scheduler: Scheduler;
  readonly engine: TestEngine;
  readonly clock: FakeClock;
  readonly store: StateStore;
  readonly logs: string[];
  /** Starts the scheduler and lets it run until it waits for something. */
  start(): Promise<void>;
  plan(name?: string): Plan;
  status(name?: string): Status;
  /** Step name → status, over the whole plan. */
  steps(name?: string): Record<string, Status>;
  task(name: string): TaskRecord;
  /** Emits a status for a task and lets the scheduler react. */
  emit(taskName: string, state: Parameters<TestEngine['emit']>[1], opts?: Parameters<TestEngine['emit']>[2]): Promise<void>;
  /** How many times a task was launched. */
  launchCount(taskName: string): number;
  stop(): void;
}

export interface HarnessOptions {
  /** Keep state (and the clock) from a previous scheduler, as a restart would. */
  readonly store?: StateStore;
  readonly clock?: FakeClock;
  readonly engine?: TestEngine;
  readonly engineOptions?: TestEngineOptions;
  readonly permanentFailureTimeoutMs?: number;
  /** The scheduler env (ENABLE_BACKOFF, PAUSE_OVERRIDE_CMD, ...). */
  readonly schedulerEnv?: Readonly<Record<string, string>>;
}

export function harness(yaml: string, opts: HarnessOptions = {}): Harness {
  const clock = opts.clock ?? new FakeClock();
  const store = opts.store ?? new StateStore(new MemoryPersister());
  const engine = opts.engine ?? new TestEngine({ nowSec: () => clock.now() / 1000, ...opts.engineOptions });
  const logs: string[] = [];
  const target = chooseTarget(store, parseServiceSpec(yaml));
  const scheduler = new Scheduler({
    spec: target.spec,
    configId: target.configId,
    configErrors: target.errors,
    store,
    engine,
    clock,
    newId,
    log: (m) => logs.push(m),
    permanentFailureTimeoutMs: opts.permanentFailureTimeoutMs,
    context: { schedulerEnv: opts.schedulerEnv ?? {} },
  });
  const plan = (name = 'deploy') => {
    const p = scheduler.plan(name);
    if (!p) throw new Error(`no plan ${name}`);
    return p;
  };
  return {
    scheduler,
    engine,
    clock,
    store,
    logs,
    start: async () => {
      await scheduler.start();
      await clock.settle();
    },
    plan,
    status: (name) => planStatus(plan(name)),
    steps: (name) => Object.fromEntries(plan(name).phases.flatMap((ph) => ph.steps.map((s) => [s.name, s.status]))),
    task: (name) => {
      const t = store.task(name);
      if (!t) throw new Error(`no task ${name} in state`);
      return t;
    },
    emit: async (taskName, state, o) => {
      engine.emit(taskName, state, o);
      await clock.settle();
    },
    launchCount: (taskName) => engine.launches.filter((l) => l.tasks.some((t) => t.name === taskName)).length,
    stop: () => scheduler.stop(),
  };
}

/** A service of `count` pods of type `pod`, each with the given tasks (YAML under `tasks:`). */
export const serviceYaml = (pods: ReadonlyArray<{ name: string; count: number; tasks: string; extra?: string }>): string =>
  `name: svc\npods:\n` +
  pods
    .map(
      (p) =>
        `  ${p.name}:\n    count: ${p.count}\n${p.extra ? p.extra.replace(/^/gm, '    ') + '\n' : ''}    tasks:\n` +
        p.tasks
          .trim()
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
    )
    .join('\n') +
  '\n';

/** One RUNNING task `server`, with `env` as its VERSION. */
export const serverTask = (version = '1', more = '') => `server:\n  goal: RUNNING\n  cmd: exec sleep 1000\n  cpus: 0.1\n  memory: 16\n  env:\n    VERSION: "${version}"\n${more}`;

// What every concern of the scheduler shares: its dependencies, its plans, which tasks each step
// launched, and lookups by pod instance. Lookups are indexed so one status update costs the same
// with 10 pods as with 10,000.
import type { Engine } from '../engine/types.js';
import { instanceOf, parsePodInstance, podInstanceName, taskFullName, type IdGen, type Plan, type Status, type Step } from '../plan/index.js';
import type { PodSpec, ServiceSpec, TaskSpec } from '../spec/index.js';
import type { StateStore, TaskRecord } from '../state/index.js';
import type { Clock } from './clock.js';
import { Metrics } from './metrics.js';
import type { SecretSource } from './secrets-delivery.js';
import type { ServiceContext } from './service-context.js';
import { backoffFromEnv } from './backoff.js';
import { deriveStepStatus, initialStepStatus, type BackoffPolicy, type StepTask } from './step-status.js';

export interface SchedulerDeps {
  /** The target config (see chooseTarget). */
  readonly spec: ServiceSpec;
  readonly configId: string;
  /** Errors of a rejected config update, shown on the deploy plan. */
  readonly configErrors?: readonly string[];
  readonly store: StateStore;
  readonly engine: Engine;
  /** Time and timers; the real ones when unset. */
  readonly clock?: Clock;
  readonly newId: IdGen;
  readonly log: (msg: string) => void;
  /** Called once the uninstall plan is complete and state is wiped. */
  readonly onUninstalled?: () => void;
  /**
   * A task that has kept failing this long (crash loop, no run of a minute in between) has its pod
   * replaced on fresh resources, as the original's permanent-failure timeout did. Off when unset.
   */
  readonly permanentFailureTimeoutMs?: number;
  /** Secrets and certificates for launches (secrets-delivery.ts); without it, specs using them fail at launch. */
  readonly secrets?: SecretSource;
  /** The scheduler env and where tasks reach the API (task env, endpoint domains). */
  readonly context?: ServiceContext;
}

/** The pod instance a step works on. */
export const podName = (step: Step): string => podInstanceName(step.pod?.podType ?? '', step.pod?.index ?? -1);

export class SchedulerCore {
  readonly spec: ServiceSpec;
  readonly store: StateStore;
  readonly engine: Engine;
  readonly metrics: Metrics;
  /** The launch backoff the scheduler env asks for (off unless ENABLE_BACKOFF). */
  readonly backoff: BackoffPolicy;
  /**
   * Full names of the tasks some plan launches (the original's launchable tasks). A stored task
   * outside it is killed at start-up and never recovered.
   */
  readonly launchable = new Set<string>();
  deploy!: Plan;
  recovery: Plan = { name: 'recovery', strategy: 'parallel', phases: [], interrupted: false, errors: [], parameters: {} };
  decommission?: Plan;
  custom: Plan[] = [];
  uninstall?: Plan;
  /** Task ids each step launched (or adopted at start-up): a step follows only its own tasks. */
  readonly launched = new Map<string, Set<string>>();
  /** Steps of the deploy, decommission and custom plans by pod instance (their phases are fixed once built). */
  private readonly byInstance = new Map<string, Array<{ readonly plan: Plan; readonly step: Step }>>();
  /** Asks for a plan pass soon; set by the loop. */
  kick: () => void = () => {};

  constructor(
    readonly d: SchedulerDeps,
    readonly clock: Clock,
  ) {
    this.spec = d.spec;
    this.store = d.store;
    this.engine = d.engine;
    this.metrics = new Metrics(() => clock.monotonic());
    this.backoff = backoffFromEnv(d.context?.schedulerEnv ?? {});
  }

  log(msg: string): void {
    this.d.log(msg);
  }

  /** Runs work nobody awaits: a failure is logged, never an unhandled rejection. */
  background(what: string, work: Promise<unknown>): void {
    work.catch((e: Error) => this.d.log(`${what} failed: ${e.message}`));
  }

  /** In the original's order: deploy, recovery, decommission (while there is one), custom plans. */
  plans(): Plan[] {
    if (this.uninstall) return [this.uninstall];
    return [this.deploy, this.recovery, ...(this.decommission ? [this.decommission] : []), ...this.custom];
  }

  /** Indexes the steps of plans whose phases never change after they are built. */
  index(plans: readonly Plan[]): void {
    for (const plan of plans) {
      for (const phase of plan.phases) {
        for (const step of phase.steps) {
          if (!step.pod) continue;
          const key = podName(step);
          const list = this.byInstance.get(key);
          if (list) list.push({ plan, step });
          else this.byInstance.set(key, [{ plan, step }]);
        }
      }
    }
  }

  /** The steps of live plans that work on a pod instance, recovery's included. */
  stepsOf(instance: string): Array<{ readonly plan: Plan; readonly step: Step }> {
    if (this.uninstall) return [];
    const live = new Set<Plan>(this.plans());
    const indexed = (this.byInstance.get(instance) ?? []).filter((e) => live.has(e.plan));
    const recovering = this.recovery.phases.filter((p) => p.name === instance).flatMap((p) => p.steps.map((step) => ({ plan: this.recovery, step })));
    return [...indexed, ...recovering];
  }

  podSpec(podType: string): PodSpec {
    const pod = this.spec.pods.find((p) => p.name === podType);
    if (!pod) throw new Error(`pod type ${podType} is not in the target config`);
    return pod;
  }

  taskSpec(pod: PodSpec, name: string): TaskSpec {
    const t = pod.tasks.find((x) => x.name === name);
    if (!t) throw new Error(`task ${name} is not in pod ${pod.name}`);
    return t;
  }

  /**
   * The stored tasks of a pod instance. The store lists tasks sorted by name and every task of
   * `hello-0` is named `hello-0-…`: a binary search finds the run, an exact check drops the tasks of
   * another pod type that shares the prefix (`hello-0-x-1-…` of pod type `hello-0-x`).
   */
  podTaskRecords(instance: string): TaskRecord[] {
    const ref = parsePodInstance(instance);
    if (!ref) return [];
    const all = this.store.tasks();
    const prefix = taskFullName(instance, '');
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (all[mid].name < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: TaskRecord[] = [];
    for (let i = lo; i < all.length && all[i].name.startsWith(prefix); i++) {
      if (instanceOf(all[i]) === instance) out.push(all[i]);
    }
    return out;
  }

  /** The stored records of the tasks a step launches. */
  stepRecords(step: Step): TaskRecord[] {
    if (!step.pod) return [];
    const instance = podName(step);
    return step.tasks.flatMap((name) => this.store.task(taskFullName(instance, name)) ?? []);
  }

  /** The spec and stored record of each task a step launches. */
  stepTasks(step: Step): StepTask[] {
    const ref = step.pod as NonNullable<Step['pod']>;
    const podSpec = this.podSpec(ref.podType);
    const instance = podName(step);
    return step.tasks.map((name) => ({ spec: this.taskSpec(podSpec, name), record: this.store.task(taskFullName(instance, name)) }));
  }

  deriveStatus(step: Step): void {
    const { status, delayedUntil } = deriveStepStatus(this.stepTasks(step), this.launched.get(step.id), this.clock.now(), { targetConfigId: this.d.configId, backoff: this.backoff });
    step.status = status;
    step.delayedUntil = delayedUntil;
  }

  initialStatus(step: Step): Status {
    return initialStepStatus(this.stepTasks(step), this.d.configId);
  }

  /**
   * At start-up a step follows the tasks already stored for it (one launched before a restart
   * reports to it). A task on an older config never counts as the step's progress: deriveStepStatus
   * takes it for work to redo.
   */
  adopt(step: Step): void {
    const ids = this.stepRecords(step).map((r) => r.taskId);
    if (ids.length > 0) this.launched.set(step.id, new Set(ids));
  }
}

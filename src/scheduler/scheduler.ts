// The scheduler core: keeps the target config, drives its plans (deploy, recovery, decommission,
// custom sidecar plans) against the engine, applies task status updates, and runs the uninstall
// plan. This file is the coordination — start-up, the plan loop, and the face the API reads — over
// three concerns: offers and placement (offers.ts), recovery (recovery.ts, with the launch backoff of
// backoff.ts) and operator actions (operator-actions.ts, whose plan decisions plan-intent.ts keeps
// across restarts; a paused task's launch is pause.ts). Clock, ids and engine are injected; nothing
// here touches processes or files.
import { LAST_COMPLETED_UPDATE_TYPE } from './task-status-property.js';
import type { ExecCommand, ExecOptions, ExecSession, LogOptions, TaskRef } from '../engine/types.js';
import {
  allSteps,
  buildDecommissionPlan,
  buildPlansFromSpec,
  candidateSteps,
  expireDelays,
  instanceOf,
  planStatus,
  podInstanceName,
  taskFullName,
  type Plan,
  type PlanCommand,
  type PlanCommandResult,
  type PodRequirement,
  type Step,
} from '../plan/index.js';
import type { ServiceSpec } from '../spec/index.js';
import { isTerminal, type StateStore, type TaskRecord } from '../state/index.js';
import { runAction } from './action-steps.js';
import { realClock, type Timer } from './clock.js';
import { SchedulerCore, type SchedulerDeps } from './core.js';
import { endpointsOf, type Endpoint } from './endpoints.js';
import type { Metrics } from './metrics.js';
import { Offers } from './offers.js';
import { OperatorActions } from './operator-actions.js';
import { applyIntent, loadIntent } from './plan-intent.js';
import { Recovery } from './recovery.js';
import { ACTION_RETRY_MS } from './step-status.js';

export type { SchedulerDeps } from './core.js';

export class Scheduler {
  readonly spec: ServiceSpec;
  readonly metrics: Metrics;
  private readonly c: SchedulerCore;
  private readonly offers: Offers;
  private readonly recovery: Recovery;
  private readonly actions: OperatorActions;
  private busy = false;
  private again = false;
  /** A pass is scheduled for the next turn of the event loop and has not started yet. */
  private passQueued = false;
  private timer?: Timer;

  constructor(private readonly d: SchedulerDeps) {
    const c = (this.c = new SchedulerCore(d, d.clock ?? realClock));
    this.spec = d.spec;
    this.metrics = c.metrics;
    c.kick = () => this.kick();
    this.recovery = new Recovery(c, (instance, mode) => this.killPod(instance, mode));
    const refresh = (instance: string) => this.recovery.refreshSteps(instance);
    this.offers = new Offers(c, refresh);
    this.actions = new OperatorActions(c, refresh, (name) => this.plan(name));
    if (!d.store.frameworkId()) d.store.setFrameworkId(d.newId());
    const deploymentCompleted = d.store.property('deployment-completed') === 'true';
    const built = buildPlansFromSpec(d.spec, d.newId, { initialStatus: (step) => c.initialStatus(step), deploymentCompleted });
    c.deploy = built.deploy;
    c.custom = built.custom;
    c.deploy.errors.push(...(d.configErrors ?? []));
    for (const plan of [c.deploy, ...c.custom]) for (const step of allSteps(plan)) c.adopt(step);
    c.decommission = buildDecommissionPlan(d.spec, this.storedInstances(), d.newId);
    // the rollout plan not chosen (deploy or update) still names tasks the service runs
    const other = d.spec.plans.some((p) => p.name === 'update') ? otherRollout(d.spec, !deploymentCompleted) : undefined;
    for (const plan of [c.deploy, ...c.custom, ...(other ? [other] : []), ...(c.decommission ? [c.decommission] : [])]) {
      for (const name of launchableTasks(plan)) c.launchable.add(name);
    }
    c.index([c.deploy, ...c.custom, ...(c.decommission ? [c.decommission] : [])]);
    const idsOf = (step: Step) => c.stepRecords(step).map((r) => r.taskId);
    for (const plan of [c.deploy, c.recovery, ...c.custom, ...(c.decommission ? [c.decommission] : [])]) {
      const intent = loadIntent(d.store, plan.name);
      // a restart ordered just before the scheduler died still runs
      if (intent) for (const step of applyIntent(plan, intent, d.configId, idsOf)) c.launched.delete(step.id);
    }
    if (d.store.property('uninstall') === 'true') c.uninstall = this.actions.uninstallPlan();
    d.engine.onStatus((u, ack) => this.recovery.onStatus(u, ack));
  }

  /** Reconciles with the engine, then starts the plan loop. */
  async start(tickMs = 500): Promise<void> {
    const { store, engine } = this.c;
    if (!this.c.uninstall && planStatus(this.c.deploy) !== 'COMPLETE') engine.warmUp?.();
    await this.recovery.releaseOrphanReservations();
    const expected = store
      .tasks()
      .filter((t) => !t.status || !isTerminal(t.status.state))
      .flatMap((t) => {
        const pod = store.pod(instanceOf(t));
        return pod ? [{ podInstance: pod.name, reservationId: pod.reservationId, taskName: t.name, taskId: t.taskId }] : [];
      });
    await engine.reconcile(expected);
    await this.recovery.killUnneededTasks();
    await this.recovery.replacePodsOfLostAgents();
    this.timer = this.c.clock.setInterval(() => this.kick(), tickMs);
    this.kick();
  }

  stop(): void {
    this.timer?.cancel();
    this.c.engine.close();
  }

  /** Pod instances in state, for the decommission plan. */
  private storedInstances() {
    return this.c.store.pods().map((p) => ({
      podType: p.podType,
      index: p.index,
      tasks: this.c.podTaskRecords(p.name).map((t) => t.name),
      resourceIds: [p.reservationId],
    }));
  }

  // ---- reads for the API ----

  planNames(): string[] {
    return this.c.uninstall ? ['deploy'] : this.c.plans().map((p) => p.name);
  }

  plan(name: string): Plan | undefined {
    if (this.c.uninstall) return name === 'deploy' ? this.c.uninstall : undefined;
    return this.c.plans().find((p) => p.name === name);
  }

  tasks(): readonly TaskRecord[] {
    return this.c.store.tasks();
  }

  /** Read access for the API. */
  get state(): StateStore {
    return this.c.store;
  }

  agents() {
    return this.c.engine.agents();
  }

  reservations() {
    return this.c.engine.reservations();
  }

  /** The last 100 placement evaluations with counters, as GET /v2/debug/offers shows them. */
  offerLog() {
    return this.offers.json();
  }

  get configId(): string {
    return this.d.configId;
  }

  get schedulerEnv(): Readonly<Record<string, string>> | undefined {
    return this.d.context?.schedulerEnv;
  }

  frameworkId(): string | undefined {
    return this.c.store.frameworkId();
  }

  /** Advertised ports by name: `ip:port` and DNS-name entries, one per task (rest-api.md §4.2). */
  endpoints(): Map<string, Endpoint> {
    return endpointsOf(this.spec, this.c.store.tasks(), (name) => this.c.store.pod(name), this.c.engine.agents(), this.c.d.context?.schedulerEnv, this.c.engine.reservations());
  }

  /** Runs a command in a task through the engine (`svc task exec`); undefined for an unknown task. */
  exec(taskName: string, cmd: ExecCommand, opts: ExecOptions): ExecSession | undefined {
    const task = this.taskRef(taskName);
    return task && this.c.engine.exec(task, cmd, opts);
  }

  /** A task's stdout or stderr through the engine (`svc task log`); undefined for an unknown task. */
  logs(taskName: string, opts: LogOptions): AsyncIterable<string> | undefined {
    const task = this.taskRef(taskName);
    return task && this.c.engine.logs(task, opts);
  }

  private taskRef(taskName: string): TaskRef | undefined {
    const rec = this.c.store.task(taskName);
    const pod = rec && this.c.store.pod(instanceOf(rec));
    return rec && pod ? { reservationId: pod.reservationId, name: rec.name, taskId: rec.taskId, env: rec.env } : undefined;
  }

  // ---- operator actions (operator-actions.ts) ----

  planCommand(name: string, cmd: PlanCommand): PlanCommandResult {
    const result = this.actions.planCommand(name, cmd);
    // a force-complete or stop may release a stopped task its step held: recovery looks again
    if (result.kind === 'done') this.recovery.requestScan();
    return result;
  }

  killPod(instance: string, mode: 'restart' | 'replace'): Promise<string[] | undefined> {
    return this.actions.killPod(instance, mode);
  }

  setPaused(instance: string, paused: boolean, only: readonly string[] = []): Promise<string[] | undefined> {
    return this.actions.setPaused(instance, paused, only);
  }

  startUninstall(): void {
    this.actions.startUninstall();
  }

  // ---- the loop ----

  /**
   * Runs one pass of plan work on the next turn of the event loop, or right after the pass in
   * progress: the status updates of a busy moment (a socket read brings many) share one pass.
   */
  kick(): void {
    if (this.passQueued) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.passQueued = true;
    this.c.clock.setImmediate(() => {
      this.passQueued = false;
      this.busy = true;
      void this.pass()
        .catch((e: Error) => this.d.log(`plan pass failed: ${e.stack ?? e.message}`))
        .finally(() => {
          this.busy = false;
          if (this.again) {
            this.again = false;
            this.kick();
          }
        });
    });
  }

  private async pass(): Promise<void> {
    const c = this.c;
    const now = c.clock.now();
    const plans = c.plans();
    for (const plan of plans) for (const step of expireDelays(plan, now)) c.launched.delete(step.id);
    // work in progress anywhere: no other step may touch the same tasks of the same pod instance
    const dirty: PodRequirement[] = plans.flatMap((plan) =>
      plan.interrupted ? [] : allSteps(plan).flatMap((st) => (st.pod && ['PREPARED', 'STARTING', 'STARTED'].includes(st.status) ? [requirement(st)] : [])),
    );
    // recovery also looks at the tasks' stored state, not only at new status updates (see openRecoveryFromState)
    if (!c.uninstall) this.recovery.openRecoveryFromState();
    const launches: Array<Promise<void>> = [];
    // steps wanting resources: those launched now and those still waiting for a place
    const wanting = plans.flatMap((plan) => allSteps(plan).filter((st) => st.pod && !st.action && st.status === 'PREPARED').map((st) => st.id));
    for (const plan of plans) {
      for (const step of candidateSteps(plan, now, dirty)) {
        if (step.status !== 'PENDING') continue;
        if (step.pod) dirty.push(requirement(step));
        if (step.action) await this.runActionStep(step);
        else if (step.pod) {
          wanting.push(step.id);
          launches.push((await this.offers.launchStep(plan, step)) ?? Promise.resolve());
        }
      }
    }
    c.metrics.trackWork(wanting, wanting.length > 0 || plans.some((plan) => !plan.interrupted && plan.phases.some((ph) => ph.steps.some((st) => st.status !== 'COMPLETE' && st.status !== 'DELAYED'))));
    await Promise.all(launches);
    if (c.uninstall && planStatus(c.uninstall) === 'COMPLETE') {
      this.d.log('uninstall complete');
      this.d.onUninstalled?.();
      return;
    }
    await this.recovery.replaceLongFailingPods(now);
    if (!c.uninstall && planStatus(c.deploy) === 'COMPLETE' && !c.store.property('deployment-completed')) {
      c.store.setProperty('deployment-completed', 'true');
      c.store.setProperty(LAST_COMPLETED_UPDATE_TYPE, 'DEPLOY');
    }
  }

  private async runActionStep(step: Step): Promise<void> {
    step.status = 'STARTING';
    try {
      await runAction(step, this.c.store, this.c.engine);
      step.status = 'COMPLETE';
    } catch (e) {
      this.d.log(`step ${step.name} failed: ${(e as Error).message}`);
      step.status = 'DELAYED';
      step.delayedUntil = this.c.clock.now() + ACTION_RETRY_MS;
    }
  }
}

/** The rollout plan (deploy or update) not chosen; undefined if it cannot be built (it then launches nothing). */
function otherRollout(spec: ServiceSpec, deploymentCompleted: boolean): Plan | undefined {
  try {
    return buildPlansFromSpec(spec, () => '', { deploymentCompleted }).deploy;
  } catch {
    return undefined;
  }
}

/** Full names of the tasks a plan's steps launch or decommission (the original's PlanUtils.getLaunchableTasks). */
function launchableTasks(plan: Plan): string[] {
  return allSteps(plan).flatMap((step) => {
    if (step.action?.kind === 'kill' || step.action?.kind === 'erase') return [step.action.task];
    if (!step.pod || step.action) return [];
    const instance = podInstanceName(step.pod.podType, step.pod.index);
    return step.tasks.map((t) => taskFullName(instance, t));
  });
}

const requirement = (step: Step): PodRequirement => ({ podType: step.pod?.podType ?? '', index: step.pod?.index ?? -1, tasks: step.tasks });

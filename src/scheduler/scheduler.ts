// The scheduler core: keeps the target config, drives its plans (deploy, recovery, decommission,
// custom sidecar plans) against the engine, applies task status updates, and runs the uninstall
// plan. Clock, ids and engine are injected; nothing here touches processes or files directly.
import type { Agent, Engine, ExecContext, Reservation, StatusUpdate } from '../engine/types.js';
import {
  allSteps,
  buildDecommissionPlan,
  buildPlansFromSpec,
  buildUninstallPlan,
  candidateSteps,
  expireDelays,
  instanceOf,
  newPhase,
  newStep,
  planParameters,
  parsePodInstance,
  planStatus,
  podInstanceName,
  runPlanCommand,
  stepName,
  taskFullName,
  type IdGen,
  type Plan,
  type PlanCommand,
  type PlanCommandResult,
  type PodRequirement,
  type Status,
  type Step,
} from '../plan/index.js';
import type { PodSpec, ServiceSpec, TaskSpec } from '../spec/index.js';
import { isTerminal, type PodRecord, type StateStore, type TaskRecord } from '../state/index.js';
import { realClock, type Clock, type Timer } from './clock.js';
import { Metrics, OfferLog, offerText } from './metrics.js';
import { endpointsOf, type Endpoint } from './endpoints.js';
import { footprint, taskEnv, taskIdPrefix, taskLaunch } from './launch.js';
import { place } from './placement.js';
import { runAction } from './actions.js';
import { BACKOFF_BASE_MS, deriveStepStatus, initialStepStatus, type StepTask } from './step-status.js';

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
}

/** A task that ran this long before failing starts its backoff afresh. */
const BACKOFF_RESET_MS = 60_000;

export class Scheduler {
  readonly spec: ServiceSpec;
  private deploy: Plan;
  private recovery: Plan = { name: 'recovery', strategy: 'parallel', phases: [], interrupted: false, errors: [], parameters: {} };
  private decommission?: Plan;
  private readonly custom: Plan[];
  private uninstall?: Plan;
  /** Task ids each step launched (or adopted at start-up): a step follows only its own tasks. */
  private readonly launched = new Map<string, Set<string>>();
  private busy = false;
  private again = false;
  /** A pass is scheduled for the next turn of the event loop and has not started yet. */
  private passQueued = false;
  private timer?: Timer;
  /** The last placement outcome per step, so a step that keeps waiting is logged once per reason. */
  private readonly lastEvaluation = new Map<string, string>();
  private readonly evaluations = new OfferLog();
  readonly metrics: Metrics;
  private readonly clock: Clock;

  constructor(private readonly d: SchedulerDeps) {
    this.spec = d.spec;
    this.clock = d.clock ?? realClock;
    this.metrics = new Metrics(() => this.clock.monotonic());
    if (!d.store.frameworkId()) d.store.setFrameworkId(d.newId());
    const built = buildPlansFromSpec(d.spec, d.newId, {
      initialStatus: (step) => this.initialStatus(step),
      deploymentCompleted: d.store.property('deployment-completed') === 'true',
    });
    this.deploy = built.deploy;
    this.custom = built.custom;
    this.deploy.errors.push(...(d.configErrors ?? []));
    for (const plan of [this.deploy, ...this.custom]) for (const step of allSteps(plan)) this.adopt(step);
    this.decommission = buildDecommissionPlan(d.spec, this.storedInstances(), d.newId);
    if (d.store.property('uninstall') === 'true') this.uninstall = this.buildUninstall();
    d.engine.onStatus((u, ack) => this.onStatus(u, ack));
  }

  /** Reconciles with the engine, then starts the plan loop. */
  async start(tickMs = 500): Promise<void> {
    if (!this.uninstall && planStatus(this.deploy) !== 'COMPLETE') this.d.engine.warmUp?.();
    await this.releaseOrphanReservations();
    const expected = this.d.store
      .tasks()
      .filter((t) => !t.status || !isTerminal(t.status.state))
      .flatMap((t) => {
        const pod = this.d.store.pod(instanceOf(t));
        return pod ? [{ podInstance: pod.name, reservationId: pod.reservationId, taskName: t.name, taskId: t.taskId }] : [];
      });
    await this.d.engine.reconcile(expected);
    await this.replacePodsOfLostAgents();
    this.timer = this.clock.setInterval(() => this.kick(), tickMs);
    this.kick();
  }

  /** A pod instance whose agent is gone is failed permanently: recovery places it anew elsewhere. */
  private async replacePodsOfLostAgents(): Promise<void> {
    if (this.uninstall) return;
    const agents = new Set(this.d.engine.agents().map((a) => a.id));
    for (const pod of this.d.store.pods()) {
      if (agents.has(pod.agentId)) continue;
      this.d.log(`agent ${pod.agentId} of ${pod.name} is gone: replacing ${pod.name}`);
      await this.killPod(pod.name, 'replace');
    }
  }

  /**
   * A crash between reserving and recording a pod instance leaves a reservation no pod record
   * names: release it (and its volumes), or the agent's resources leak.
   */
  private async releaseOrphanReservations(): Promise<void> {
    if (this.uninstall) return;
    const owned = new Set(this.d.store.pods().map((p) => p.reservationId));
    for (const res of this.d.engine.reservations()) {
      if (owned.has(res.id)) continue;
      this.d.log(`releasing reservation ${res.id} of ${res.podInstance}: no pod instance owns it`);
      await this.d.engine.stopPod(res.podInstance, res.id);
      await this.d.engine.unreserve(res.id);
    }
  }

  stop(): void {
    this.timer?.cancel();
    this.d.engine.close();
  }

  // ---- reads for the API ----

  /** In the original's order: deploy, recovery, decommission (while there is one), custom plans. */
  private plans(): Plan[] {
    if (this.uninstall) return [this.uninstall];
    return [this.deploy, this.recovery, ...(this.decommission ? [this.decommission] : []), ...this.custom];
  }

  planNames(): string[] {
    return this.uninstall ? ['deploy'] : this.plans().map((p) => p.name);
  }

  plan(name: string): Plan | undefined {
    if (this.uninstall) return name === 'deploy' ? this.uninstall : undefined;
    return this.plans().find((p) => p.name === name);
  }

  /** start/stop/interrupt/continue/forceComplete/restart on a plan, with the original's answers. */
  planCommand(name: string, cmd: PlanCommand): PlanCommandResult {
    const result = runPlanCommand(this.plan(name), name, cmd);
    if (result.ok) {
      for (const step of result.restarted) {
        this.launched.delete(step.id);
        for (const rec of this.stepRecords(step)) this.d.store.storeTask({ ...rec, failures: 0 });
      }
      this.kick();
    }
    return result;
  }

  tasks(): readonly TaskRecord[] {
    return this.d.store.tasks();
  }

  /** Read access for the API. */
  get state(): StateStore {
    return this.d.store;
  }

  agents() {
    return this.d.engine.agents();
  }

  reservations() {
    return this.d.engine.reservations();
  }

  /** The last 100 placement evaluations with counters, as GET /v2/debug/offers shows them. */
  offerLog() {
    return this.evaluations.json();
  }

  /** `offered`: the agents evaluated, with the reservations they had then (the offer they stand for). */
  private recordEvaluation(step: string, outcome: 'pass' | 'fail', explanation: string[], offered: readonly Agent[], reservations: readonly Reservation[], rejectedAgents: readonly string[] = []): void {
    const held = reservations.slice();
    this.evaluations.record({ evaluation: { timestamp: this.clock.now(), 'pod-instance-name': step, outcome, explanation }, offer: () => offerText(offered, held), rejectedAgents });
  }

  get configId(): string {
    return this.d.configId;
  }

  frameworkId(): string | undefined {
    return this.d.store.frameworkId();
  }

  /** Advertised ports by name: `ip:port` and DNS-name entries, one per task (rest-api.md §4.2). */
  endpoints(): Map<string, Endpoint> {
    return endpointsOf(this.spec, this.d.store.tasks(), (name) => this.d.store.pod(name), this.d.engine.agents());
  }

  /** Where and with what env a task runs, for `svc task exec` and logs. */
  execContext(taskName: string): (ExecContext & { taskId: string; agentId: string }) | undefined {
    const rec = this.d.store.task(taskName);
    const pod = rec && this.d.store.pod(instanceOf(rec));
    if (!rec || !pod) return undefined;
    return { ...this.d.engine.execContext(pod.reservationId, rec), taskId: rec.taskId, agentId: rec.agentId };
  }

  // ---- operator actions ----

  private podTaskRecords(instance: string): TaskRecord[] {
    const ref = parsePodInstance(instance);
    return ref ? this.d.store.tasks().filter((t) => t.podIndex === ref.index && t.podType === ref.podType) : [];
  }

  /**
   * Kills every task of a pod instance. `restart` relaunches them in place (same agent, volumes and
   * reservation); `replace` first marks them permanently failed, so recovery launches the pod from
   * scratch on fresh resources. Returns the killed task names, or undefined for an unknown pod.
   */
  async killPod(instance: string, mode: 'restart' | 'replace'): Promise<string[] | undefined> {
    const tasks = this.podTaskRecords(instance);
    if (tasks.length === 0) return undefined;
    for (const t of tasks) this.d.store.storeTask({ ...t, failures: 0, permanentlyFailed: mode === 'replace' ? true : t.permanentlyFailed });
    const podSpec = this.spec.pods.find((p) => p.name === tasks[0].podType);
    await Promise.all(
      tasks.map((t) => this.d.engine.kill(instance, t.name, podSpec?.tasks.find((x) => x.name === t.taskSpec)?.killGracePeriod ?? 0)),
    );
    this.d.log(`${mode} of ${instance}: killed ${tasks.map((t) => t.name).join(', ')}`);
    this.refreshSteps(instance);
    this.kick();
    return tasks.map((t) => t.name).sort();
  }

  /**
   * Pauses (or resumes) tasks of a pod instance: each selected task is killed and relaunched by
   * recovery running `sleep` instead of its command (or its command again). `only` holds short or
   * full task names; empty means all. Returns the killed task names, or undefined if the pod or a
   * named task is unknown.
   */
  async setPaused(instance: string, paused: boolean, only: readonly string[] = []): Promise<string[] | undefined> {
    const all = this.podTaskRecords(instance);
    if (all.length === 0) return undefined;
    const selected = only.length === 0 ? all : all.filter((t) => only.includes(t.name) || only.includes(t.taskSpec));
    if (selected.length !== (only.length === 0 ? all.length : new Set(only).size)) return undefined;
    const podSpec = this.podSpec(all[0].podType);
    for (const t of selected) {
      this.d.store.storeTask({ ...t, paused, failures: 0 });
      await this.d.engine.kill(instance, t.name, this.taskSpec(podSpec, t.taskSpec).killGracePeriod);
    }
    this.refreshSteps(instance);
    this.kick();
    return selected.map((t) => t.name).sort();
  }

  startUninstall(): void {
    if (this.uninstall) return;
    this.d.store.setProperty('uninstall', 'true');
    this.uninstall = this.buildUninstall();
    this.kick();
  }

  private buildUninstall(): Plan {
    const agents = this.d.engine.agents();
    return buildUninstallPlan(
      {
        taskIds: this.d.store.tasks().map((t) => t.taskId),
        reservations: this.d.engine.reservations().map((r) => ({ hostname: agents.find((a) => a.id === r.agentId)?.hostname ?? r.agentId, resourceId: r.id })),
      },
      this.d.newId,
    );
  }

  /** Pod instances in state, for the decommission plan. */
  private storedInstances() {
    return this.d.store.pods().map((p) => ({
      podType: p.podType,
      index: p.index,
      tasks: this.podTaskRecords(p.name).map((t) => t.name),
      resourceIds: [p.reservationId],
    }));
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
    this.clock.setImmediate(() => {
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
    const now = this.clock.now();
    const plans = this.plans();
    for (const plan of plans) for (const step of expireDelays(plan, now)) this.launched.delete(step.id);
    // work in progress anywhere: no other step may touch the same tasks of the same pod instance
    const dirty: PodRequirement[] = plans.flatMap((plan) =>
      plan.interrupted ? [] : allSteps(plan).flatMap((st) => (st.pod && ['PREPARED', 'STARTING', 'STARTED'].includes(st.status) ? [requirement(st)] : [])),
    );
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
          launches.push((await this.launchStep(plan, step)) ?? Promise.resolve());
        }
      }
    }
    this.metrics.trackWork(wanting, wanting.length > 0 || plans.some((plan) => !plan.interrupted && plan.phases.some((ph) => ph.steps.some((st) => st.status !== 'COMPLETE'))));
    await Promise.all(launches);
    if (this.uninstall && planStatus(this.uninstall) === 'COMPLETE') {
      this.d.log('uninstall complete');
      this.d.onUninstalled?.();
      return;
    }
    if (this.decommission && planStatus(this.decommission) === 'COMPLETE') this.decommission = undefined;
    await this.replaceLongFailingPods(now);
    if (!this.uninstall && planStatus(this.deploy) === 'COMPLETE' && !this.d.store.property('deployment-completed')) {
      this.d.store.setProperty('deployment-completed', 'true');
    }
  }

  /** The permanent-failure timeout: a pod whose task keeps failing is moved to fresh resources. */
  private async replaceLongFailingPods(now: number): Promise<void> {
    const timeout = this.d.permanentFailureTimeoutMs;
    if (!timeout || this.uninstall) return;
    for (const t of this.d.store.tasks()) {
      const down = t.status?.state === 'TASK_FAILED' || t.status?.state === 'TASK_ERROR';
      if (!down || t.permanentlyFailed || !t.failingSince || now - t.failingSince < timeout) continue;
      const instance = instanceOf(t);
      this.d.log(`${t.name} has been failing for ${Math.round((now - t.failingSince) / 1000)} s: replacing ${instance}`);
      await this.killPod(instance, 'replace');
    }
  }

  private async runActionStep(step: Step): Promise<void> {
    step.status = 'STARTING';
    try {
      await runAction(step, this.d.store, this.d.engine);
      step.status = 'COMPLETE';
    } catch (e) {
      this.d.log(`step ${step.name} failed: ${(e as Error).message}`);
      step.status = 'DELAYED';
      step.delayedUntil = this.clock.now() + BACKOFF_BASE_MS;
    }
  }

  private podSpec(podType: string): PodSpec {
    const pod = this.spec.pods.find((p) => p.name === podType);
    if (!pod) throw new Error(`pod type ${podType} is not in the target config`);
    return pod;
  }

  /**
   * Places and records a step's launch; returns the engine launch to await. Placement runs one step
   * at a time (so two steps never take the same resources); launches (executor start-up) overlap.
   */
  private async launchStep(plan: Plan, step: Step): Promise<Promise<void> | undefined> {
    const ref = step.pod as NonNullable<Step['pod']>;
    const podSpec = this.podSpec(ref.podType);
    const instance = podName(step);
    let pod = this.d.store.pod(instance);
    let avoid: string | undefined;
    if (pod && this.d.store.tasks().some((t) => t.podType === ref.podType && t.podIndex === ref.index && t.permanentlyFailed)) {
      // replace: give up the old reservation and volumes, and start afresh elsewhere if possible
      avoid = pod.agentId;
      await this.d.engine.stopPod(instance, pod.reservationId);
      await this.d.engine.unreserve(pod.reservationId);
      this.d.store.deletePod(instance, podSpec.tasks.map((t) => taskFullName(instance, t.name)));
      pod = undefined;
    }
    if (!pod) {
      pod = await this.reservePod(step, podSpec, avoid);
      if (!pod) return undefined;
    }
    const agent = this.d.engine.agents().find((a) => a.id === pod?.agentId);
    const params = planParameters(plan);
    const records = step.tasks.map((name) => this.taskRecord(pod as PodRecord, podSpec, this.taskSpec(podSpec, name), agent?.hostname ?? '', params));
    this.launched.set(step.id, new Set(records.map((r) => r.taskId)));
    const launchOf = (r: TaskRecord) => {
      const t = this.taskSpec(podSpec, r.taskSpec);
      // a paused task sleeps instead of working, with no checks, so an operator can exec into it
      return r.launchedPaused ? { ...taskLaunch(podSpec, t, r, 'exec sleep infinity'), healthCheck: undefined, readinessCheck: undefined } : taskLaunch(podSpec, t, r);
    };
    this.d.store.storeLaunch(pod, records);
    step.status = 'STARTING';
    this.metrics.count('operation.launch_group');
    this.d.log(`launching ${step.name} on ${pod.agentId}`);
    return this.d.engine.launch({ podInstance: instance, reservationId: pod.reservationId, tasks: records.map(launchOf) }).catch((e: Error) => {
      this.d.log(`launch of ${step.name} failed: ${e.message}`);
      for (const r of records) this.d.store.storeTask({ ...r, status: { taskId: r.taskId, state: 'TASK_ERROR', message: e.message, timestamp: this.clock.now() / 1000 }, failures: r.failures + 1 });
      this.refreshSteps(instance);
    });
  }

  /**
   * One placement evaluation, our counterpart of the original's processing of a batch of offers
   * (one offer per agent): timed as offers.process, each agent counted as an offer received.
   */
  private async reservePod(step: Step, podSpec: PodSpec, avoidAgent?: string): Promise<PodRecord | undefined> {
    const done = this.metrics.startTimer('offers.process');
    try {
      return await this.placeAndReserve(step, podSpec, avoidAgent);
    } finally {
      done();
    }
  }

  /** Finds an agent for a new pod instance and reserves its footprint there. */
  private async placeAndReserve(step: Step, podSpec: PodSpec, avoidAgent?: string): Promise<PodRecord | undefined> {
    const ref = step.pod as NonNullable<Step['pod']>;
    const fp = footprint(podSpec);
    const agents = this.d.engine.agents();
    const reservations = this.d.engine.reservations();
    const result = place(agents, reservations, { podType: podSpec.name, constraints: podSpec.constraints, ...fp }, avoidAgent);
    const rejected = Object.keys(result.rejections);
    this.metrics.count('offers.received', agents.length);
    this.metrics.count('offers.processed', rejected.length + (result.agent ? 1 : 0));
    // an agent evaluated and refused while the step still wants resources: the original's short decline
    if (rejected.length > 0) this.metrics.count('declines.short', rejected.length);
    const wait = (why: string, refused = rejected, offered = agents) => {
      if (this.lastEvaluation.get(step.name) !== why) {
        this.d.log(`step ${step.name}: not placed (${why})`);
        this.recordEvaluation(step.name, 'fail', why.split('; '), offered, reservations, refused);
      }
      this.lastEvaluation.set(step.name, why);
      step.status = 'PREPARED';
      this.clock.setTimeout(() => {
        if (step.status === 'PREPARED') step.status = 'PENDING';
      }, 1000);
      return undefined;
    };
    if (!result.agent) {
      return wait(
        Object.entries(result.rejections)
          .map(([a, r]) => `${a}: ${r}`)
          .join('; ') || 'no agents',
      );
    }
    let res;
    try {
      res = await this.d.engine.reserve({
        agentId: result.agent.id,
        podInstance: podName(step),
        cpus: fp.cpus,
        mem: fp.mem,
        disk: fp.disk,
        ports: fp.ports,
        volumes: [...podSpec.volumes, ...podSpec.tasks.flatMap((t) => t.volumes)]
          .filter((v, i, all) => all.findIndex((w) => w.name === v.name) === i)
          .map((v) => ({ name: v.name, type: v.type, size: v.size })),
      });
    } catch (e) {
      this.metrics.count('declines.short');
      return wait(`${result.agent.id}: ${(e as Error).message}`, [result.agent.id], [result.agent]);
    }
    this.lastEvaluation.set(step.name, `placed on ${result.agent.id}`);
    this.recordEvaluation(step.name, 'pass', [`placed on ${result.agent.id}`], [result.agent], reservations);
    this.metrics.count('operation.reserve');
    return {
      name: podName(step),
      podType: podSpec.name,
      index: ref.index,
      agentId: result.agent.id,
      reservationId: res.id,
      ports: Object.fromEntries(res.ports.map((p) => [p.name, p.port])),
    };
  }

  private taskSpec(pod: PodSpec, name: string): TaskSpec {
    const t = pod.tasks.find((x) => x.name === name);
    if (!t) throw new Error(`task ${name} is not in pod ${pod.name}`);
    return t;
  }

  private taskRecord(pod: PodRecord, podSpec: PodSpec, task: TaskSpec, hostname: string, parameters: Readonly<Record<string, string>>): TaskRecord {
    const name = taskFullName(pod.name, task.name);
    const previous = this.d.store.task(name);
    return {
      name,
      podType: podSpec.name,
      podIndex: pod.index,
      taskSpec: task.name,
      taskId: `${taskIdPrefix(this.spec.name)}${name}__${this.d.newId()}`,
      agentId: pod.agentId,
      configId: this.d.configId,
      env: taskEnv({ spec: this.spec, pod: podSpec, task, record: pod, agentHostname: hostname, parameters }),
      failures: previous?.failures ?? 0,
      failingSince: previous?.failingSince,
      paused: previous?.paused,
      launchedPaused: !!previous?.paused,
      status: undefined,
    };
  }

  // ---- status updates ----

  private onStatus(u: StatusUpdate, ack: () => void): void {
    const rec = this.d.store.task(u.taskName);
    if (!rec || rec.taskId !== u.status.taskId || (rec.status && isTerminal(rec.status.state))) {
      ack(); // stale: an older incarnation of the task, or already final
      return;
    }
    const failed = u.status.state === 'TASK_FAILED' || u.status.state === 'TASK_ERROR';
    const ranLong = rec.status?.state === 'TASK_RUNNING' && u.status.timestamp - rec.status.timestamp > BACKOFF_RESET_MS / 1000;
    const failures = failed ? (ranLong ? 1 : rec.failures + 1) : rec.failures;
    const failingSince = failed && failures === 1 ? u.status.timestamp * 1000 : rec.failingSince;
    this.d.store.storeTask({ ...rec, status: u.status, failures, failingSince });
    ack();
    this.metrics.count(`task_status.${u.status.state.toLowerCase()}`);
    if (isTerminal(u.status.state)) this.d.log(`task ${u.taskName} ${u.status.state}: ${u.status.message}`);
    if (failed || u.status.state === 'TASK_LOST') void this.restartPodOnEssentialFailure(rec);
    this.refreshSteps(u.podInstance);
    this.kick();
  }

  /** An essential task that fails takes its pod's other running tasks down with it, so recovery relaunches them together. */
  private async restartPodOnEssentialFailure(failed: TaskRecord): Promise<void> {
    const podSpec = this.spec.pods.find((p) => p.name === failed.podType);
    const task = podSpec?.tasks.find((t) => t.name === failed.taskSpec);
    if (!podSpec || !task?.essential || task.goal !== 'RUNNING') return;
    const instance = instanceOf(failed);
    for (const other of this.podTaskRecords(instance)) {
      const spec = podSpec.tasks.find((t) => t.name === other.taskSpec);
      if (other.name === failed.name || spec?.goal !== 'RUNNING' || !other.status || isTerminal(other.status.state)) continue;
      this.d.log(`essential task ${failed.name} failed: restarting ${other.name} with it`);
      await this.d.engine.kill(instance, other.name, spec.killGracePeriod);
    }
  }

  /** Re-derives the statuses of unfinished steps of a pod instance, and opens recovery work. */
  private refreshSteps(instance: string): void {
    // runs on every status update: cheap tests first, no copies of the plans' step lists
    for (const plan of this.plans()) {
      for (const phase of plan.phases) {
        for (const step of phase.steps) {
          if (step.status !== 'COMPLETE' && this.launched.has(step.id) && step.pod && !step.action && podName(step) === instance) this.deriveStatus(step);
        }
      }
    }
    if (!this.uninstall) this.openRecovery(instance);
  }

  /** At start-up a step follows the tasks already stored for it. */
  private adopt(step: Step): void {
    const ids = this.stepRecords(step).map((r) => r.taskId);
    if (ids.length > 0) this.launched.set(step.id, new Set(ids));
  }

  private stepRecords(step: Step): TaskRecord[] {
    if (!step.pod) return [];
    const { podType, index } = step.pod;
    return step.tasks.flatMap((name) => this.d.store.task(taskFullName(podInstanceName(podType, index), name)) ?? []);
  }

  /** A RUNNING-goal task that stopped, outside any deploy work in progress, gets a recovery step. */
  private openRecovery(instance: string): void {
    if (this.deploy.phases.some((ph) => ph.steps.some((s) => s.status !== 'COMPLETE' && s.pod && podName(s) === instance))) return;
    if (this.decommission && allSteps(this.decommission).some((s) => s.pod && podName(s) === instance)) return;
    const ref = parsePodInstance(instance);
    const podSpec = ref && this.spec.pods.find((p) => p.name === ref.podType);
    if (!ref || !podSpec) return;
    const down = podSpec.tasks.filter((t) => {
      const rec = this.d.store.task(taskFullName(instance, t.name));
      return t.goal === 'RUNNING' && rec?.status && isTerminal(rec.status.state);
    });
    // a replaced pod must not start again until every task of it is down
    if (this.podTaskRecords(instance).some((t) => t.permanentlyFailed && (!t.status || !isTerminal(t.status.state)))) return;
    if (down.length === 0) return;
    const open = this.recovery.phases.find((p) => p.name === instance && p.steps.some((s) => s.status !== 'COMPLETE'));
    if (open) return;
    const tasks = down.map((t) => t.name);
    const step = newStep(this.d.newId, stepName(ref.podType, ref.index, tasks), { pod: ref, tasks });
    this.deriveStatus(step);
    this.recovery.phases.splice(
      0,
      this.recovery.phases.length,
      ...this.recovery.phases.filter((p) => p.name !== instance),
      newPhase(this.d.newId, instance, 'serial', [step]),
    );
  }

  /** The spec and stored record of each task a step launches. */
  private stepTasks(step: Step): StepTask[] {
    const ref = step.pod as NonNullable<Step['pod']>;
    const podSpec = this.podSpec(ref.podType);
    return step.tasks.map((name) => ({ spec: this.taskSpec(podSpec, name), record: this.d.store.task(taskFullName(podInstanceName(ref.podType, ref.index), name)) }));
  }

  private deriveStatus(step: Step): void {
    const { status, delayedUntil } = deriveStepStatus(this.stepTasks(step), this.launched.get(step.id), this.clock.now());
    step.status = status;
    step.delayedUntil = delayedUntil;
  }

  private initialStatus(step: Step): Status {
    return initialStepStatus(this.stepTasks(step), this.d.configId);
  }
}

const podName = (step: Step): string => podInstanceName(step.pod?.podType ?? '', step.pod?.index ?? -1);
const requirement = (step: Step): PodRequirement => ({ podType: step.pod?.podType ?? '', index: step.pod?.index ?? -1, tasks: step.tasks });

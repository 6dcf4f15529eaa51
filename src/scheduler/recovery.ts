// Recovery: task status updates, launch backoff, an essential task taking its pod down with it,
// recovery steps for stopped tasks, the permanent-failure timeout, and at start-up the pods of lost
// agents and reservations no pod owns.
import { storeTaskStatusProperty } from './task-status-property.js';
import type { StatusUpdate } from '../engine/types.js';
import { podAddress } from './pod-address.js';
import { instanceOf, newPhase, newStep, parsePodInstance, stepName, taskFullName } from '../plan/index.js';
import { isTerminal, type TaskRecord } from '../state/index.js';
import type { SchedulerCore } from './core.js';
import { BACKOFF_RESET_MS } from './crash-loop.js';

export class Recovery {
  constructor(
    private readonly c: SchedulerCore,
    /** Kills a pod instance's tasks; `replace` moves it to fresh resources. */
    private readonly killPod: (instance: string, mode: 'restart' | 'replace') => Promise<unknown>,
  ) {}

  onStatus(u: StatusUpdate, ack: () => void): void {
    const { store } = this.c;
    const rec = store.task(u.taskName);
    if (!rec || rec.taskId !== u.status.taskId || (rec.status && isTerminal(rec.status.state))) {
      ack(); // stale: an older incarnation of the task, or already final
      return;
    }
    const failed = u.status.state === 'TASK_FAILED' || u.status.state === 'TASK_ERROR';
    const ranLong = rec.status?.state === 'TASK_RUNNING' && u.status.timestamp - rec.status.timestamp > BACKOFF_RESET_MS / 1000;
    const failures = failed ? (ranLong ? 1 : rec.failures + 1) : rec.failures;
    const failingSince = failed && failures === 1 ? u.status.timestamp * 1000 : rec.failingSince;
    store.storeTask({ ...rec, status: u.status, failures, failingSince });
    const ip = podAddress(this.c.spec.pods.find((p) => p.name === rec.podType), store.pod(u.podInstance)?.reservationId, this.c.engine.agents().find((a) => a.id === rec.agentId), () => this.c.engine.reservations());
    storeTaskStatusProperty(store, u.taskName, u.status, rec.agentId, ip || undefined);
    ack();
    this.c.metrics.count(`task_status.${u.status.state.toLowerCase()}`);
    if (isTerminal(u.status.state)) this.c.log(`task ${u.taskName} ${u.status.state}: ${u.status.message}`);
    if (failed || u.status.state === 'TASK_LOST') this.c.background(`restart of the pod of ${rec.name}`, this.restartPodOnEssentialFailure(rec));
    this.refreshSteps(u.podInstance);
    this.c.kick();
  }

  /** An essential task that fails takes its pod's other running tasks down with it, so recovery relaunches them together. */
  private async restartPodOnEssentialFailure(failed: TaskRecord): Promise<void> {
    const podSpec = this.c.spec.pods.find((p) => p.name === failed.podType);
    const task = podSpec?.tasks.find((t) => t.name === failed.taskSpec);
    if (!podSpec || !task?.essential || task.goal !== 'RUNNING') return;
    const instance = instanceOf(failed);
    for (const other of this.c.podTaskRecords(instance)) {
      const spec = podSpec.tasks.find((t) => t.name === other.taskSpec);
      if (other.name === failed.name || spec?.goal !== 'RUNNING' || !other.status || isTerminal(other.status.state)) continue;
      this.c.log(`essential task ${failed.name} failed: restarting ${other.name} with it`);
      await this.c.engine.kill(instance, other.name, spec.killGracePeriod);
    }
  }

  /**
   * Re-derives the statuses of the unfinished launch steps of a pod instance, and opens recovery
   * work. A step still waiting out a backoff is re-derived too: a restart or replace clears the
   * failure count, and the pod must not wait out the old backoff.
   */
  refreshSteps(instance: string): void {
    for (const { step } of this.c.stepsOf(instance)) {
      if (step.status !== 'COMPLETE' && !step.action && (this.c.launched.has(step.id) || step.status === 'DELAYED')) this.c.deriveStatus(step);
    }
    if (!this.c.uninstall) this.openRecovery(instance);
  }

  /** A scan of the stored tasks is due (at start-up, after a plan command). */
  private scanDue = true;

  /** Asks for a scan of the stored tasks on the next pass. */
  requestScan(): void {
    this.scanDue = true;
  }

  /**
   * Opens recovery for every pod instance with a stopped task in state, as the original's recovery
   * plan manager reads the stored tasks: a task that failed while a deploy step held it (then
   * force-completed) is recovered once nothing else works on it. Status updates open recovery for
   * their own pod; what else can release a stopped task (start-up, a plan command) asks for a scan,
   * so a pass of a 10,000-task deploy does not read every task.
   */
  openRecoveryFromState(): void {
    if (!this.scanDue) return;
    this.scanDue = false;
    let last = '';
    for (const t of this.c.store.tasks()) {
      if (!t.status || !isTerminal(t.status.state) || !this.c.launchable.has(t.name)) continue;
      const instance = instanceOf(t);
      if (instance === last) continue;
      last = instance;
      this.openRecovery(instance);
    }
  }

  /**
   * At start-up, kills the stored tasks that no plan launches any more (an option disabled part of
   * the service, a plan shrank), as the original's killUnneededTasks: their records stay, and
   * recovery leaves them alone.
   */
  async killUnneededTasks(): Promise<void> {
    if (this.c.uninstall) return;
    for (const t of this.c.store.tasks()) {
      if (this.c.launchable.has(t.name) || (t.status && isTerminal(t.status.state))) continue;
      const grace = this.c.spec.pods.find((p) => p.name === t.podType)?.tasks.find((x) => x.name === t.taskSpec)?.killGracePeriod ?? 0;
      this.c.log(`killing ${t.name}: no plan launches it any more`);
      try {
        await this.c.engine.kill(instanceOf(t), t.name, grace);
      } catch (e) {
        this.c.log(`kill of ${t.name} failed: ${(e as Error).message}`);
      }
    }
  }

  /** A RUNNING-goal task that stopped, outside any deploy work in progress, gets a recovery step. */
  private openRecovery(instance: string): void {
    const { deploy, decommission, recovery } = this.c;
    const others = this.c.stepsOf(instance);
    if (others.some(({ plan, step }) => plan === deploy && step.status !== 'COMPLETE')) return;
    if (decommission && others.some(({ plan }) => plan === decommission)) return;
    const ref = parsePodInstance(instance);
    const podSpec = ref && this.c.spec.pods.find((p) => p.name === ref.podType);
    if (!ref || !podSpec) return;
    const down = podSpec.tasks.filter((t) => {
      const rec = this.c.store.task(taskFullName(instance, t.name));
      return t.goal === 'RUNNING' && rec?.status && isTerminal(rec.status.state) && this.c.launchable.has(rec.name);
    });
    // a replaced pod must not start again until every task of it is down
    if (this.c.podTaskRecords(instance).some((t) => t.permanentlyFailed && (!t.status || !isTerminal(t.status.state)))) return;
    if (down.length === 0) return;
    const open = recovery.phases.find((p) => p.name === instance && p.steps.some((s) => s.status !== 'COMPLETE'));
    if (open) return;
    const tasks = down.map((t) => t.name);
    const step = newStep(this.c.d.newId, stepName(ref.podType, ref.index, tasks), { pod: ref, tasks });
    this.c.deriveStatus(step);
    recovery.phases.splice(0, recovery.phases.length, ...recovery.phases.filter((p) => p.name !== instance), newPhase(this.c.d.newId, instance, 'serial', [step]));
  }

  /** The permanent-failure timeout: a pod whose task keeps failing is moved to fresh resources. */
  async replaceLongFailingPods(now: number): Promise<void> {
    const timeout = this.c.d.permanentFailureTimeoutMs;
    if (!timeout || this.c.uninstall) return;
    for (const t of this.c.store.tasks()) {
      const down = t.status?.state === 'TASK_FAILED' || t.status?.state === 'TASK_ERROR';
      // without backoff a crash-looping task is relaunched at once: it is still failing while its
      // latest run is younger than the run that would reset its failure count
      const crashLooping = t.status?.state === 'TASK_RUNNING' && now - t.status.timestamp * 1000 < BACKOFF_RESET_MS;
      if (!(down || crashLooping) || t.failures === 0 || t.permanentlyFailed || !t.failingSince || now - t.failingSince < timeout) continue;
      const instance = instanceOf(t);
      this.c.log(`${t.name} has been failing for ${Math.round((now - t.failingSince) / 1000)} s: replacing ${instance}`);
      await this.replace(instance);
    }
  }

  /** A replace that fails (the engine cannot reach the executor) is logged; the other pods go on. */
  private async replace(instance: string): Promise<void> {
    try {
      await this.killPod(instance, 'replace');
    } catch (e) {
      this.c.log(`replace of ${instance} failed: ${(e as Error).message}`);
    }
  }

  /** A pod instance whose agent is gone is failed permanently: recovery places it anew elsewhere. */
  async replacePodsOfLostAgents(): Promise<void> {
    if (this.c.uninstall) return;
    const agents = new Set(this.c.engine.agents().map((a) => a.id));
    for (const pod of this.c.store.pods()) {
      if (agents.has(pod.agentId)) continue;
      this.c.log(`agent ${pod.agentId} of ${pod.name} is gone: replacing ${pod.name}`);
      await this.replace(pod.name);
    }
  }

  /**
   * A crash between reserving and recording a pod instance leaves a reservation no pod record
   * names: release it (and its volumes), or the agent's resources leak.
   */
  async releaseOrphanReservations(): Promise<void> {
    if (this.c.uninstall) return;
    const owned = new Set(this.c.store.pods().map((p) => p.reservationId));
    for (const res of this.c.engine.reservations()) {
      if (owned.has(res.id)) continue;
      this.c.log(`releasing reservation ${res.id} of ${res.podInstance}: no pod instance owns it`);
      await this.c.engine.stopPod(res.podInstance, res.id);
      await this.c.engine.unreserve(res.id);
    }
  }
}


// What an operator asks of a running service: plan commands, restart or replace of a pod instance,
// pause and resume of its tasks, and uninstall.
import { buildUninstallPlan, runPlanCommand, type Plan, type PlanCommand, type PlanCommandResult } from '../plan/index.js';
import type { SchedulerCore } from './core.js';
import { saveIntent } from './plan-intent.js';

export class OperatorActions {
  constructor(
    private readonly c: SchedulerCore,
    /** Re-derives the steps of a pod instance after its tasks changed. */
    private readonly refreshSteps: (instance: string) => void,
    /** The plan of that name as the API shows it. */
    private readonly plan: (name: string) => Plan | undefined,
  ) {}

  /**
   * start/stop/interrupt/continue/forceComplete/restart on a plan, with the original's answers. What
   * the command decided is stored with it (plan-intent.ts), except on the uninstall plan.
   */
  planCommand(name: string, cmd: PlanCommand): PlanCommandResult {
    const plan = this.plan(name);
    const result = runPlanCommand(plan, name, cmd);
    if (result.kind === 'done') {
      if (plan && !this.c.uninstall) saveIntent(this.c.store, plan, this.c.d.configId, result, (step) => this.c.stepRecords(step).map((r) => r.taskId));
      for (const step of result.restarted) {
        this.c.launched.delete(step.id);
        for (const rec of this.c.stepRecords(step)) this.c.store.storeTask({ ...rec, failures: 0 });
      }
      this.c.kick();
    }
    return result;
  }

  /**
   * Kills every task of a pod instance. `restart` relaunches them in place (same agent, volumes and
   * reservation); `replace` first marks them permanently failed, so recovery launches the pod from
   * scratch on fresh resources. Returns the killed task names, or undefined for an unknown pod.
   */
  async killPod(instance: string, mode: 'restart' | 'replace'): Promise<string[] | undefined> {
    const tasks = this.c.podTaskRecords(instance);
    if (tasks.length === 0) return undefined;
    for (const t of tasks) this.c.store.storeTask({ ...t, failures: 0, permanentlyFailed: mode === 'replace' ? true : t.permanentlyFailed });
    const podSpec = this.c.spec.pods.find((p) => p.name === tasks[0].podType);
    await Promise.all(
      tasks.map((t) => this.c.engine.kill(instance, t.name, podSpec?.tasks.find((x) => x.name === t.taskSpec)?.killGracePeriod ?? 0)),
    );
    this.c.log(`${mode} of ${instance}: killed ${tasks.map((t) => t.name).join(', ')}`);
    this.refreshSteps(instance);
    this.c.kick();
    return tasks.map((t) => t.name).sort();
  }

  /**
   * Pauses (or resumes) tasks of a pod instance: each selected task is killed and relaunched by
   * recovery running `sleep` instead of its command (or its command again). `only` holds short or
   * full task names; empty means all. Returns the killed task names, or undefined if the pod or a
   * named task is unknown.
   */
  async setPaused(instance: string, paused: boolean, only: readonly string[] = []): Promise<string[] | undefined> {
    const all = this.c.podTaskRecords(instance);
    if (all.length === 0) return undefined;
    const selected = only.length === 0 ? all : all.filter((t) => only.includes(t.name) || only.includes(t.taskSpec));
    if (selected.length !== (only.length === 0 ? all.length : new Set(only).size)) return undefined;
    const podSpec = this.c.podSpec(all[0].podType);
    for (const t of selected) {
      this.c.store.storeTask({ ...t, paused, failures: 0 });
      await this.c.engine.kill(instance, t.name, this.c.taskSpec(podSpec, t.taskSpec).killGracePeriod);
    }
    this.refreshSteps(instance);
    this.c.kick();
    return selected.map((t) => t.name).sort();
  }

  startUninstall(): void {
    if (this.c.uninstall) return;
    this.c.store.setProperty('uninstall', 'true');
    this.c.uninstall = this.uninstallPlan();
    this.c.kick();
  }

  /** The uninstall plan over what state and the engine hold now. */
  uninstallPlan(): Plan {
    const agents = this.c.engine.agents();
    return buildUninstallPlan(
      {
        taskIds: this.c.store.tasks().map((t) => t.taskId),
        reservations: this.c.engine.reservations().map((r) => ({ hostname: agents.find((a) => a.id === r.agentId)?.hostname ?? r.agentId, resourceId: r.id })),
      },
      this.c.d.newId,
    );
  }
}

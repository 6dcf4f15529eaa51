// What an operator decided about a plan — interrupts of the plan and its phases, `start`
// parameters, canary releases, force-completed steps — kept in the state store, written as one
// property with each command that changes it, and laid back on the rebuilt plan at start-up: a
// restart (kill -9, `svc update`) neither resumes a paused rollout nor reruns a force-completed step.
// Interrupts and parameters hold across config updates; canary releases and force-completes belong
// to the config they were given under (a new config is a new rollout).
import type { Plan, PlanCommandResult, Step } from '../plan/index.js';
import type { StateStore } from '../state/index.js';

interface PhaseIntent {
  readonly name: string;
  readonly interrupted: boolean;
  /** Canary phases: the held-back steps picked at build, by name, in release order. */
  readonly canary?: readonly string[];
  /** Names of the steps whose own interrupt bit is set (canary steps not released yet). */
  readonly held: readonly string[];
}

export interface PlanIntent {
  /** The target config the step-level decisions were taken under. */
  readonly configId: string;
  readonly interrupted: boolean;
  readonly parameters?: Readonly<Record<string, string>>;
  /** In plan order: phase names may repeat, positions of one config do not move. */
  readonly phases: readonly PhaseIntent[];
  /** Force-completed steps as `<phase position>/<step name>`. */
  readonly forced: readonly string[];
  /**
   * Steps a command restarted (`start`, `force-restart`) that have not launched since, by the same
   * key: the task ids they had then. Until a new launch, those stored tasks (a finished ONCE task,
   * say) would make the rebuilt step COMPLETE again, and the restart would be lost.
   */
  readonly restarted?: Readonly<Record<string, readonly string[]>>;
}

/** The ids of the tasks a step follows now. */
export type StepTaskIds = (step: Step) => readonly string[];

const sameIds = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id) => b.includes(id));

const key = (plan: string) => `plan-intent-${plan}`;

export function loadIntent(store: StateStore, plan: string): PlanIntent | undefined {
  const raw = store.property(key(plan));
  if (raw === undefined) return undefined;
  const v = JSON.parse(raw) as PlanIntent;
  if (typeof v !== 'object' || v === null || typeof v.configId !== 'string' || !Array.isArray(v.phases) || !Array.isArray(v.forced)) {
    throw new Error(`state property ${key(plan)} is not a plan intent: ${raw.slice(0, 200)}`);
  }
  return v;
}

/** Where each step sits: `<phase position>/<step name>`. */
function stepKeys(plan: Plan): Map<Step, string> {
  return new Map(plan.phases.flatMap((ph, i) => ph.steps.map((s) => [s, `${i}/${s.name}`] as const)));
}

/** Records the plan's operator state after a command that was applied. */
export function saveIntent(store: StateStore, plan: Plan, configId: string, result: Extract<PlanCommandResult, { kind: 'done' }>, idsOf: StepTaskIds): void {
  const previous = loadIntent(store, plan.name);
  const keys = stepKeys(plan);
  const byKey = new Map([...keys].map(([step, k]) => [k, step] as const));
  // a restart stays pending until its step launches anew (then its tasks' ids differ)
  const restarted: Record<string, readonly string[]> = {};
  if (previous?.configId === configId) {
    for (const [k, ids] of Object.entries(previous.restarted ?? {})) {
      const step = byKey.get(k);
      if (step && sameIds(idsOf(step), ids)) restarted[k] = ids;
    }
  }
  for (const s of result.restarted) restarted[keys.get(s) ?? ''] = idsOf(s);
  for (const s of result.forced) delete restarted[keys.get(s) ?? ''];
  delete restarted[''];
  const forced = new Set(previous?.configId === configId ? previous.forced : []);
  for (const s of result.restarted) forced.delete(keys.get(s) ?? '');
  for (const s of result.forced) forced.add(keys.get(s) ?? '');
  forced.delete('');
  const names = (ids: readonly string[] | undefined, steps: readonly Step[]) => ids?.map((id) => steps.find((s) => s.id === id)?.name ?? '');
  const intent: PlanIntent = {
    configId,
    interrupted: plan.interrupted,
    parameters: plan.parameters,
    phases: plan.phases.map((ph) => ({
      name: ph.name,
      interrupted: ph.interrupted,
      canary: names(ph.canarySteps, ph.steps),
      held: ph.steps.filter((s) => s.interrupted).map((s) => s.name),
    })),
    forced: [...forced].sort(),
    ...(Object.keys(restarted).length > 0 ? { restarted } : {}),
  };
  store.setProperty(key(plan.name), JSON.stringify(intent));
}

/**
 * Lays a stored intent on a freshly built plan. Returns the steps a command restarted that have not
 * launched since: they are PENDING again, and must not follow their old tasks.
 */
export function applyIntent(plan: Plan, intent: PlanIntent, configId: string, idsOf: StepTaskIds): Step[] {
  plan.interrupted = intent.interrupted;
  if (intent.parameters) plan.parameters = { ...intent.parameters };
  const sameConfig = intent.configId === configId;
  plan.phases.forEach((ph, i) => {
    const was = sameConfig ? intent.phases[i] : intent.phases.find((p) => p.name === ph.name);
    if (!was || was.name !== ph.name) return;
    ph.interrupted = was.interrupted;
    if (!sameConfig) return;
    if (was.canary && ph.canarySteps) ph.canarySteps = was.canary.flatMap((name) => ph.steps.find((s) => s.name === name)?.id ?? []);
    for (const s of ph.steps) s.interrupted = was.held.includes(s.name);
  });
  if (!sameConfig) return [];
  const pending: Step[] = [];
  for (const [step, k] of stepKeys(plan)) {
    const ids = intent.restarted?.[k];
    if (intent.forced.includes(k)) step.status = 'COMPLETE';
    else if (ids && sameIds(idsOf(step), ids)) {
      step.status = 'PENDING';
      pending.push(step);
    } else continue;
    step.delayedUntil = undefined;
  }
  return pending;
}

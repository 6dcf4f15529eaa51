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
}

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
export function saveIntent(store: StateStore, plan: Plan, configId: string, result: Extract<PlanCommandResult, { kind: 'done' }>): void {
  const previous = loadIntent(store, plan.name);
  const keys = stepKeys(plan);
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
  };
  store.setProperty(key(plan.name), JSON.stringify(intent));
}

/** Lays a stored intent on a freshly built plan. */
export function applyIntent(plan: Plan, intent: PlanIntent, configId: string): void {
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
  if (!sameConfig) return;
  const keys = stepKeys(plan);
  for (const [step, k] of keys) {
    if (!intent.forced.includes(k)) continue;
    step.status = 'COMPLETE';
    step.delayedUntil = undefined;
  }
}

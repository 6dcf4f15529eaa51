// Operator commands on a plan (rest-api.md §2.6), as pure mutations of the in-memory plan that
// return what came of them in the plan's terms; the API turns each outcome into its HTTP answer.
import { allSteps, heldCanaryStep, phaseInterrupted, phaseStatus, planStatus, stepDisplayStatus, type Phase, type Plan, type Step } from './plan.js';
import { findPhases, findStep } from './resolve.js';
import { isRunning, type Status } from './status.js';

export type PlanCommandResult =
  /**
   * Applied. `message`: the original's echo; `restarted`: steps sent back to PENDING (the scheduler
   * clears their tasks' launch backoff); `forced`: steps force-completed.
   */
  | { readonly kind: 'done'; readonly message: string; readonly restarted: readonly Step[]; readonly forced: readonly Step[] }
  /** Nothing to do: the target already is where the command would take it. */
  | { readonly kind: 'already' }
  | { readonly kind: 'not-found'; readonly what: 'plan' | 'phase' | 'step'; readonly name: string }
  /** A step was named without the phase that holds it. */
  | { readonly kind: 'missing-phase' }
  /** A `start` parameter whose name is no environment variable name. */
  | { readonly kind: 'bad-parameter'; readonly name: string };
type Failure = Exclude<PlanCommandResult, { kind: 'done' }>;

const ok = (cmd: string, restarted: readonly Step[] = [], forced: readonly Step[] = []): PlanCommandResult => ({ kind: 'done', message: `Received cmd: ${cmd}`, restarted, forced });
const already = (): Failure => ({ kind: 'already' });
const notFound = (what: 'plan' | 'phase' | 'step', name: string): Failure => ({ kind: 'not-found', what, name });

// ---- strategy primitives ----

/** A canary phase ignores interrupts while a canary step is held back. */
export function interruptPhase(phase: Phase): void {
  if (!heldCanaryStep(phase)) phase.interrupted = true;
}

/** A canary phase releases its next held-back step; any other phase clears its interrupt bit. */
export function proceedPhase(phase: Phase): void {
  const held = heldCanaryStep(phase);
  if (held) held.interrupted = false;
  else phase.interrupted = false;
}

/** Back to PENDING with no backoff: the work is redone. */
function restartSteps(steps: readonly Step[]): Step[] {
  for (const s of steps) {
    s.status = 'PENDING';
    s.delayedUntil = undefined;
  }
  return [...steps];
}

// ---- commands ----

/** Without `phase`: the plan strategy; with it: every phase of that name or id. */
export function interruptPlan(plan: Plan, phase?: string): PlanCommandResult {
  if (phase === undefined) {
    if (plan.interrupted || planStatus(plan) === 'COMPLETE') return already();
    plan.interrupted = true;
    return ok('interrupt');
  }
  const phases = findPhases(plan, phase);
  if (phases.length === 0) return notFound('phase', phase);
  if (phases.every(phaseInterrupted) || phases.every((p) => phaseStatus(p) === 'COMPLETE')) return already();
  phases.forEach(interruptPhase);
  return ok('interrupt');
}

/** `continue`. A plan-level continue never releases canary steps: only a phase-level one does. */
export function proceedPlan(plan: Plan, phase?: string): PlanCommandResult {
  if (phase === undefined) {
    const status = planStatus(plan);
    if (isRunning(status) || status === 'COMPLETE') return already();
    plan.interrupted = false;
    return ok('continue');
  }
  const phases = findPhases(plan, phase);
  if (phases.length === 0) return notFound('phase', phase);
  const statuses = phases.map(phaseStatus);
  if (statuses.every(isRunning) || statuses.every((s) => s === 'COMPLETE')) return already();
  phases.forEach(proceedPhase);
  return ok('continue');
}

interface Target {
  readonly status: Status;
  readonly steps: readonly Step[];
  readonly proceed: () => void;
}

const blank = (s: string | undefined): s is undefined => s === undefined || s.trim() === '';

/** Plan, first matching phase, or the one matching step of that phase (rest-api.md §2.5). */
function resolveTarget(plan: Plan, phase: string | undefined, step: string | undefined): Target | Failure {
  if (blank(phase) && blank(step)) return { status: planStatus(plan), steps: allSteps(plan), proceed: () => (plan.interrupted = false) };
  if (blank(phase)) return { kind: 'missing-phase' };
  const [ph] = findPhases(plan, phase);
  if (!ph) return notFound('phase', phase);
  if (blank(step)) return { status: phaseStatus(ph), steps: ph.steps, proceed: () => proceedPhase(ph) };
  const st = findStep(ph, step);
  if (!st) return notFound('step', step);
  return { status: stepDisplayStatus(st), steps: [st], proceed: () => (st.interrupted = false) };
}

/** The raw query values, Java `null` when absent, as the original echoes them. */
const echo = (cmd: string, plan: Plan, phase?: string, step?: string) => `${cmd} for Plan: ${plan.name}, Phase: ${phase ?? 'null'}, Step: ${step ?? 'null'}`;

export function forceComplete(plan: Plan, phase?: string, step?: string): PlanCommandResult {
  const target = resolveTarget(plan, phase, step);
  if ('kind' in target) return target;
  if (target.status === 'COMPLETE') return already();
  for (const s of target.steps) {
    s.status = 'COMPLETE';
    s.delayedUntil = undefined;
  }
  return ok(echo('forceComplete', plan, phase, step), [], target.steps);
}

/** Un-interrupts the target (a canary phase: releases a step) and sends its steps back to PENDING. */
export function restartPlan(plan: Plan, phase?: string, step?: string): PlanCommandResult {
  const target = resolveTarget(plan, phase, step);
  if ('kind' in target) return target;
  if (target.status === 'PENDING') return already();
  target.proceed();
  return ok(echo('restart', plan, phase, step), restartSteps(target.steps));
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checked before the plan is even looked up, as the original does. */
export function validatePlanParameters(params: Readonly<Record<string, string>>): Failure | undefined {
  const bad = Object.keys(params).find((k) => !ENV_NAME.test(k));
  return bad === undefined ? undefined : { kind: 'bad-parameter', name: bad };
}

/** Java's Map.toString: `{K1=V1, K2=V2}`. */
const javaMap = (params: Readonly<Record<string, string>>) => `{${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')}}`;

/**
 * Replaces the plan's parameters, restarts it if COMPLETE, then clears the plan-level interrupt
 * (phase-level interrupts stay). Never 'already': starting a running plan only refreshes parameters.
 */
export function startPlan(plan: Plan, params: Readonly<Record<string, string>>): PlanCommandResult {
  const invalid = validatePlanParameters(params);
  if (invalid) return invalid;
  plan.parameters = { ...params };
  const restarted = planStatus(plan) === 'COMPLETE' ? restartSteps(allSteps(plan)) : [];
  plan.interrupted = false;
  return ok(`start ${plan.name} with parameters: ${javaMap(params)}`, restarted);
}

/** Interrupts the plan and sends every step back to PENDING; running tasks are not killed. */
export function stopPlan(plan: Plan): PlanCommandResult {
  plan.interrupted = true;
  return ok('stop', restartSteps(allSteps(plan)));
}

export type PlanCommand =
  | { readonly kind: 'start'; readonly parameters: Readonly<Record<string, string>> }
  | { readonly kind: 'stop' }
  | { readonly kind: 'interrupt' | 'continue'; readonly phase?: string }
  | { readonly kind: 'forceComplete' | 'restart'; readonly phase?: string; readonly step?: string };

/** One entry point for the API: looks after the order of checks (parameters, then plan lookup). */
export function runPlanCommand(plan: Plan | undefined, planName: string, cmd: PlanCommand): PlanCommandResult {
  if (cmd.kind === 'start') {
    const invalid = validatePlanParameters(cmd.parameters);
    if (invalid) return invalid;
  }
  if (!plan) return notFound('plan', planName);
  switch (cmd.kind) {
    case 'start':
      return startPlan(plan, cmd.parameters);
    case 'stop':
      return stopPlan(plan);
    case 'interrupt':
      return interruptPlan(plan, cmd.phase);
    case 'continue':
      return proceedPlan(plan, cmd.phase);
    case 'forceComplete':
      return forceComplete(plan, cmd.phase, cmd.step);
    case 'restart':
      return restartPlan(plan, cmd.phase, cmd.step);
  }
}

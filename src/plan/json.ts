// The wire shape of a plan (rest-api.md §2.1). Field names are the original's; clients rely on them.
import { phaseStatus, planErrors, planStatus, stepDisplayStatus, type Plan, type Step, type StepAction } from './plan.js';
import type { Status } from './status.js';

/** PAUSING/PAUSED are display-only, for steps whose pod is paused (`pod pause`). */
export type StepJsonStatus = Status | 'PAUSING' | 'PAUSED';

export interface StepJson {
  id: string;
  name: string;
  status: StepJsonStatus;
  message: string;
}
export interface PhaseJson {
  id: string;
  name: string;
  steps: StepJson[];
  strategy: string;
  status: Status;
}
export interface PlanJson {
  phases: PhaseJson[];
  strategy: string;
  errors: string[];
  status: Status;
}

export interface PlanJsonOptions {
  /** True when every task of the step's pod has a PAUSED goal override. */
  readonly paused?: (step: Step) => boolean;
}

/** The original's step classes, named in the human-readable message. */
const STEP_KIND: Readonly<Record<StepAction['kind'], string>> = {
  kill: 'TriggerDecommissionStep',
  unreserve: 'ResourceCleanupStep',
  erase: 'EraseTaskStateStep',
  'kill-task': 'TaskKillStep',
  'tls-cleanup': 'TLSCleanupStep',
  deregister: 'DeregisterStep',
};

/**
 * The original's DeploymentStep.getDisplayStatus: a step whose tasks are all paused shows PAUSING
 * while it launches and PAUSED once its tasks run (STARTED: a paused task is never ready).
 */
function displayStatus(step: Step, paused: boolean): StepJsonStatus {
  const status = stepDisplayStatus(step);
  if (!paused) return status;
  if (status === 'COMPLETE' || status === 'STARTED') return 'PAUSED';
  return status === 'PREPARED' || status === 'STARTING' ? 'PAUSING' : status;
}

function stepMessage(step: Step, display: StepJsonStatus): string {
  const kind = step.action ? STEP_KIND[step.action.kind] : 'DeploymentStep';
  const suffix = display !== step.status ? ` (display:${display})` : '';
  return `${kind}: ${step.name} [${step.id}] with status: ${step.status}${suffix}`;
}

export function planToJson(plan: Plan, opts: PlanJsonOptions = {}): PlanJson {
  return {
    phases: plan.phases.map((ph) => ({
      id: ph.id,
      name: ph.name,
      steps: ph.steps.map((s) => {
        const status = displayStatus(s, opts.paused?.(s) ?? false);
        return { id: s.id, name: s.name, status, message: stepMessage(s, status) };
      }),
      strategy: ph.strategy,
      status: phaseStatus(ph),
    })),
    strategy: plan.strategy,
    errors: planErrors(plan),
    status: planStatus(plan),
  };
}

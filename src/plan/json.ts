// The wire shape of a plan (rest-api.md §2.1).
import { phaseStatus, planErrors, planStatus, stepDisplayStatus, type Plan, type Step } from './plan.js';
import type { Status } from './status.js';

export interface StepJson {
  id: string;
  name: string;
  status: Status;
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

function stepMessage(step: Step, status: Status): string {
  const display = status !== step.status ? ` (display:${status})` : '';
  return `DeploymentStep: ${step.name} [${step.id}] with status: ${step.status}${display}`;
}

export function planToJson(plan: Plan): PlanJson {
  return {
    phases: plan.phases.map((ph) => ({
      id: ph.id,
      name: ph.name,
      steps: ph.steps.map((s) => {
        const status = stepDisplayStatus(s);
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

// Watches a plan until it completes, fails, or the deadline passes, showing progress. It polls every
// 50 ms: a plan GET costs the scheduler well under a millisecond, and the wait ends sooner.
import type { SvcClient } from '../client/index.js';
import type { PlanJson } from '../plan/json.js';
import { failed } from './errors.js';
import type { Io } from './io.js';

export function progressLine(planName: string, plan: PlanJson): string {
  const steps = plan.phases.flatMap((ph) => ph.steps.map((st) => ({ ...st, phase: ph.name })));
  const done = steps.filter((s) => s.status === 'COMPLETE').length;
  const current = steps.find((s) => s.status !== 'COMPLETE' && s.status !== 'PENDING') ?? steps.find((s) => s.status !== 'COMPLETE');
  const at = current ? `, ${current.phase} › ${current.name} ${current.status}` : '';
  return `${planName} ${plan.status}: ${done}/${steps.length} steps complete${at}${current?.status === 'DELAYED' ? crashHint(current.name) : ''}`;
}

/** A step backing off means its task keeps failing: say where to look. */
function crashHint(step: string): string {
  const m = /^(.+-\d+):\[(.+)\]$/.exec(step);
  if (!m) return '';
  const task = `${m[1]}-${m[2].split(', ')[0]}`;
  return ` (a task keeps failing: svc task log ${task} --stderr)`;
}

export async function waitForPlan(io: Io, client: SvcClient, planName: string, timeoutMs: number, pollMs = 50): Promise<PlanJson> {
  const spinner = await io.spinner(`waiting for plan ${planName}`);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const { body } = await client.plan(planName);
      spinner.update(progressLine(planName, body));
      if (body.status === 'COMPLETE') {
        spinner.stop(progressLine(planName, body));
        return body;
      }
      if (body.status === 'ERROR') throw failed(`plan ${planName} failed: ${body.errors.join('; ') || 'a step is in ERROR'} (svc plan show ${planName})`);
      if (Date.now() > deadline) throw failed(`plan ${planName} is still ${body.status} after ${Math.round(timeoutMs / 1000)} s: ${progressLine(planName, body)} (svc plan show ${planName})`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    spinner.stop();
  }
}

// Watches a plan until it completes, fails, or the deadline passes, showing progress. It polls every
// 50 ms: a plan GET costs the scheduler well under a millisecond, and the wait ends sooner.
// Ctrl-C (or Ctrl-\) stops the waiting only: the message says what goes on and how to watch it.
import type { SvcClient } from '../client/index.js';
import type { PlanJson } from '../plan/json.js';
import { failed, interrupted } from './errors.js';
import type { Io, Spinner } from './io.js';
import { fetchPlacementNotes, placementSummary } from './placement-note.js';
import { taskFailureWarnings, taskHealth } from './task-health.js';

export function progressLine(planName: string, plan: PlanJson, notes: ReadonlyMap<string, readonly string[]> = new Map()): string {
  const steps = plan.phases.flatMap((ph) => ph.steps.map((st) => ({ ...st, phase: ph.name })));
  const done = steps.filter((s) => s.status === 'COMPLETE').length;
  const current = steps.find((s) => s.status !== 'COMPLETE' && s.status !== 'PENDING') ?? steps.find((s) => s.status !== 'COMPLETE');
  const note = current && notes.get(current.name);
  // a step that cannot be placed flaps PREPARED/PENDING: it is simply waiting for a place
  const status = note ? 'WAITING' : current?.status;
  const at = current ? `, ${current.phase} › ${current.name} ${status}` : '';
  const why = note ? ` (${placementSummary(note)})` : current?.status === 'DELAYED' ? crashHint(current.name) : '';
  return `${planName} ${plan.status}: ${done}/${steps.length} steps complete${at}${why}`;
}

/** A step backing off means its task keeps failing: say where to look. */
function crashHint(step: string): string {
  const m = /^(.+-\d+):\[(.+)\]$/.exec(step);
  if (!m) return '';
  const task = `${m[1]}-${m[2].split(', ')[0]}`;
  return ` (a task keeps failing: svc task log ${task} --stderr)`;
}

export interface PollOptions {
  pollMs: number;
  /** The message of a Ctrl-C: what keeps going and how to watch it. */
  onInterrupt: () => string;
}

/**
 * Calls `tick` every `pollMs` with a spinner until it returns a value; Ctrl-C or Ctrl-\ ends the
 * wait with exit status 130 and `onInterrupt`'s message. `tick` throws to fail or time out.
 */
export async function poll<T>(io: Io, label: string, o: PollOptions, tick: (spinner: Spinner) => Promise<T | undefined>): Promise<T> {
  const spinner = await io.spinner(label);
  let stop!: () => void;
  const stopped = new Promise<never>((_, reject) => (stop = () => reject(interrupted(o.onInterrupt()))));
  stopped.catch(() => {}); // observed through the race below
  const dispose = io.onInterrupt(stop);
  let timer: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      const done = await Promise.race([tick(spinner), stopped]);
      if (done !== undefined) return done;
      await Promise.race([new Promise((r) => (timer = setTimeout(r, o.pollMs))), stopped]);
    }
  } finally {
    clearTimeout(timer);
    dispose();
    spinner.stop();
  }
}

export interface PlanWaitOptions {
  timeoutMs: number;
  /** What goes on after a Ctrl-C, e.g. "memcache keeps deploying". */
  keepsGoing: string;
  pollMs?: number;
  /**
   * After completion, how long to watch for a task that crashes right after it started (its step
   * completed when it ran): a deploy warns about it rather than looking healthy.
   */
  settleMs?: number;
}

/** What install and update watch after their deploy completes (a task that exits at once fails within it). */
export const DEPLOY_SETTLE_MS = 500;

/** How often the placement log is read while a step waits for a place. */
const NOTES_EVERY_MS = 1000;

export async function waitForPlan(io: Io, client: SvcClient, planName: string, o: PlanWaitOptions): Promise<PlanJson> {
  const deadline = Date.now() + o.timeoutMs;
  let notes = new Map<string, string[]>();
  let notesAt = 0;
  const before = await taskHealth(client);
  const plan = await poll(io, `waiting for plan ${planName}`, { pollMs: o.pollMs ?? 50, onInterrupt: () => `stopped waiting; ${o.keepsGoing} (svc plan show ${planName} --watch)` }, async (spinner) => {
    const { body } = await client.plan(planName);
    const placing = body.phases.some((ph) => ph.steps.some((st) => st.status === 'PENDING' || st.status === 'PREPARED'));
    if (!placing) notes = new Map();
    else if (Date.now() - notesAt >= NOTES_EVERY_MS) {
      notesAt = Date.now();
      notes = await fetchPlacementNotes(client, body);
    }
    const line = progressLine(planName, body, notes);
    spinner.update(line);
    if (body.status === 'COMPLETE') {
      spinner.stop(line);
      return body;
    }
    if (body.status === 'ERROR') throw failed(`plan ${planName} failed: ${body.errors.join('; ') || 'a step is in ERROR'} (svc plan show ${planName})`);
    if (Date.now() > deadline) throw failed(`plan ${planName} is still ${body.status} after ${Math.round(o.timeoutMs / 1000)} s: ${line} (svc plan show ${planName})`);
    return undefined;
  });
  // a task that crashes right after it started has completed its step already: watch a moment more
  const settleUntil = Date.now() + (o.settleMs ?? 0);
  let warnings = await taskFailureWarnings(client, before);
  while (warnings.length === 0 && Date.now() < settleUntil) {
    await new Promise((r) => setTimeout(r, 100));
    warnings = await taskFailureWarnings(client, before);
  }
  for (const w of warnings) io.err(`svc: warning: ${w}\n`);
  return plan;
}

// What the original's pod status leaves out, from svc's GET /v1/tasks: why a task last failed and
// how many times in a row it did. A scheduler without that path (the original's) gives none.
import type { SvcClient, TaskHealthJson } from '../client/index.js';

/**
 * Task name → its health. Best effort, as it only adds to answers of the original's API: empty when
 * the scheduler does not serve GET /v1/tasks (the original's) or does not answer it.
 */
export async function taskHealth(client: SvcClient): Promise<Map<string, TaskHealthJson>> {
  try {
    return new Map((await client.tasks()).body.map((t) => [t.name, t]));
  } catch {
    return new Map();
  }
}

const FAILED_STATES = new Set(['FAILED', 'ERROR', 'LOST', 'DROPPED', 'GONE', 'UNREACHABLE']);

/** Whether the task is down or has been failing: worth showing its reason. */
export const isFailing = (t: TaskHealthJson): boolean => t.failures > 0 || FAILED_STATES.has(t.status ?? '');

/** "exited with code 3, 4 restarts" (or "last failed: …" once relaunched) — the note next to a failing task; '' for a healthy one. */
export function failureNote(t: TaskHealthJson | undefined): string {
  if (!t || !isFailing(t)) return '';
  // a relaunched task runs again: its reason is history
  const down = FAILED_STATES.has(t.status ?? '');
  const why = down ? (t.lastFailure ?? t.message) : t.lastFailure && `last failed: ${t.lastFailure}`;
  const parts = [why ?? '', restarts(t.failures)].filter(Boolean);
  return parts.join(', ');
}

export const restarts = (n: number): string => (n > 0 ? `${n} restart${n === 1 ? '' : 's'}` : '');

/**
 * Warnings for tasks that failed during a wait: those whose failures grew since `before` (the
 * snapshot taken when the wait began) or that are down now.
 */
export async function taskFailureWarnings(client: SvcClient, before: ReadonlyMap<string, TaskHealthJson>): Promise<string[]> {
  const now = await taskHealth(client);
  return [...now.values()]
    .filter((t) => t.failures > (before.get(t.name)?.failures ?? 0) || FAILED_STATES.has(t.status ?? ''))
    .map((t) => `task ${t.name} failed meanwhile (${failureNote(t) || t.status}); see: svc task log ${t.name} --stderr`);
}

/** Task name → its failure note, for the tasks that have one. */
export function failureNotes(tasks: Iterable<TaskHealthJson>): Map<string, string> {
  const notes = new Map<string, string>();
  for (const t of tasks) {
    const note = failureNote(t);
    if (note) notes.set(t.name, note);
  }
  return notes;
}

export const taskNotes = async (client: SvcClient): Promise<Map<string, string>> => failureNotes((await taskHealth(client)).values());

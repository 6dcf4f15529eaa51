// `svc task list`: one row per task. The restarts and failure reason come from svc's GET /v1/tasks;
// their columns appear only when some task has failed, so a healthy service lists as before.
import type { PodStatusJson, TaskHealthJson } from '../../client/index.js';
import { isFailing } from '../task-health.js';
import type { Colors } from './colors.js';
import { renderTable } from './table.js';

export interface TaskRow {
  name: string;
  status: string;
  pod: string;
  id: string;
  /** Consecutive failures (each relaunched the task); absent from a scheduler that does not count them. */
  restarts?: number;
  /** Why a task that is down or failing last failed. */
  reason?: string;
}

export function taskRows(status: PodStatusJson, health: ReadonlyMap<string, TaskHealthJson>): TaskRow[] {
  return (status.pods ?? []).flatMap((p) =>
    p.instances.flatMap((i) =>
      i.tasks.map((t) => {
        const h = health.get(t.name);
        const reason = h && isFailing(h) ? (h.lastFailure ?? h.message) : undefined;
        return { name: t.name, status: t.status ?? '<UNKNOWN>', pod: i.name, id: t.id, ...(h ? { restarts: h.failures } : {}), ...(reason ? { reason } : {}) };
      }),
    ),
  );
}

export function renderTaskRows(rows: readonly TaskRow[], c: Colors): string {
  const style = { header: c.bold, cell: (col: number, t: string) => (col === 1 ? c.status(t) : t) };
  if (!rows.some((r) => (r.restarts ?? 0) > 0 || r.reason)) return renderTable(['NAME', 'STATUS', 'POD', 'ID'], rows.map((r) => [r.name, r.status, r.pod, r.id]), style);
  return renderTable(
    ['NAME', 'STATUS', 'RESTARTS', 'REASON', 'POD', 'ID'],
    rows.map((r) => [r.name, r.status, String(r.restarts ?? '-'), r.reason ?? '-', r.pod, r.id]),
    style,
  );
}

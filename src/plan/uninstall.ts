// The uninstall plan (service-spec.md §10.3), served as `deploy` while uninstalling: kill every
// task and release every reservation concurrently, then deregister once all else is done.
import { finishPlan, newPhase, newStep, type IdGen } from './builders.js';
import type { Plan } from './plan.js';

export interface UninstallInput {
  readonly taskIds: readonly string[];
  /** Every reserved resource, with the hostname of the agent holding it. */
  readonly reservations: ReadonlyArray<{ readonly hostname: string; readonly resourceId: string }>;
  /** Some task used transport encryption: its TLS artifacts must be cleaned up. */
  readonly tlsCleanup?: boolean;
}

export function buildUninstallPlan(input: UninstallInput, newId: IdGen): Plan {
  const kill = newPhase(
    newId,
    'kill-tasks',
    'parallel',
    input.taskIds.map((taskId) => newStep(newId, `kill-task-${taskId}`, { action: { kind: 'kill-task', taskId } })),
  );
  const hosts = [...new Set(input.reservations.map((r) => r.hostname))];
  const unreserve = hosts.map((host) =>
    newPhase(
      newId,
      `unreserve-resources-${host}`,
      'parallel',
      input.reservations
        .filter((r) => r.hostname === host)
        .map((r) => newStep(newId, `unreserve-${r.resourceId}`, { action: { kind: 'unreserve', resourceId: r.resourceId } })),
    ),
  );
  const tls = input.tlsCleanup ? [newPhase(newId, 'tls-cleanup', 'serial', [newStep(newId, 'tls-cleanup', { action: { kind: 'tls-cleanup' } })])] : [];
  const deregister = newPhase(newId, 'deregister-service', 'serial', [newStep(newId, 'deregister', { action: { kind: 'deregister' } })]);
  const before = [kill, ...unreserve, ...tls];
  return finishPlan(
    {
      name: 'deploy',
      strategy: 'dependency',
      phases: [...before, deregister],
      interrupted: false,
      errors: [],
      parameters: {},
      prerequisites: { [deregister.id]: before.map((p) => p.id) },
    },
    {},
  );
}

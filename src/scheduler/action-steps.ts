// Steps that launch nothing (decommission and uninstall): kill, release, forget.
import type { Engine } from '../engine/types.js';
import { instanceOf, type Step } from '../plan/index.js';
import type { StateStore } from '../state/index.js';

export async function runAction(step: Step, store: StateStore, engine: Engine): Promise<void> {
  const action = step.action;
  if (!action) return;
  switch (action.kind) {
    case 'kill':
    case 'kill-task': {
      // a pod instance's tasks die together with its executor
      const rec = action.kind === 'kill' ? store.task(action.task) : store.tasks().find((t) => t.taskId === action.taskId);
      const pod = rec && store.pod(instanceOf(rec));
      if (pod) await engine.stopPod(pod.name, pod.reservationId);
      return;
    }
    case 'unreserve': {
      const res = engine.reservations().find((r) => r.id === action.resourceId);
      if (res) {
        await engine.stopPod(res.podInstance, res.id); // never destroy volumes under a running task
        await engine.unreserve(res.id);
      }
      return;
    }
    case 'erase': {
      const rec = store.task(action.task);
      if (!rec) return;
      const instance = instanceOf(rec);
      const rest = store.tasks().filter((t) => instanceOf(t) === instance && t.name !== rec.name);
      if (rest.length === 0) store.deletePod(instance, [rec.name]);
      else store.deleteTask(rec.name);
      return;
    }
    case 'tls-cleanup':
      return;
    case 'deregister':
      store.wipe();
      return;
  }
}

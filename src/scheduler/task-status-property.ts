// The original kept each task's last status carrying an IP address as the state property
// `<task>:task-status` (StateStoreUtils.storeTaskStatusAsProperty); tooling reads it from
// /v1/state/properties. Ours holds the TaskStatus as JSON (the original's held protobuf bytes).
import type { StateStore, TaskStatusRecord } from '../state/index.js';

const taskStatusProperty = (taskName: string): string => `${taskName}:task-status`;

export function storeTaskStatusProperty(store: StateStore, taskName: string, status: TaskStatusRecord, agentId: string, ip: string | undefined): void {
  if (!ip) return; // as the original: only statuses that carry an address
  const json = {
    taskId: { value: status.taskId },
    state: status.state,
    message: status.message,
    timestamp: status.timestamp,
    slaveId: { value: agentId },
    containerStatus: { networkInfos: [{ ipAddresses: [{ ipAddress: ip }] }] },
  };
  store.setProperty(taskStatusProperty(taskName), JSON.stringify(json));
}

/** The original's marker that a deployment completed once: later config changes are updates. */
export const LAST_COMPLETED_UPDATE_TYPE = 'last-completed-update-type';

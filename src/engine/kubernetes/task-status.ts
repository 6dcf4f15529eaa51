// A task's state read off its Pod, as the plans expect Mesos task states:
//   Pending (not yet bound) → STAGING; bound, container being created → STARTING;
//   image pull or container config failure → ERROR; Running → RUNNING (ready = the Ready condition);
//   Succeeded → FINISHED; Failed → FAILED (exit code), or LOST when the node went or it was evicted;
//   gone or going after svc deleted it → KILLED; deleted by someone else → LOST.
import type { V1Pod } from '@kubernetes/client-node';
import type { TaskState } from '../types.js';

export interface PodTaskState {
  readonly state: TaskState;
  readonly message: string;
  readonly exitCode?: number;
  readonly ready?: boolean;
}

const PULL_OR_CONFIG_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
const LOST_REASONS = new Set(['Evicted', 'NodeLost', 'Shutdown', 'NodeShutdown', 'Terminated', 'UnexpectedAdmissionError', 'Preempting']);

export function podTaskState(pod: V1Pod, o: { readonly deleted: boolean; readonly killRequested: boolean; readonly hasReadiness: boolean }): PodTaskState {
  const phase = pod.status?.phase ?? 'Pending';
  const container = pod.status?.containerStatuses?.[0];
  const terminated = container?.state?.terminated;
  const exitCode = terminated?.exitCode;
  const terminal = o.deleted || phase === 'Succeeded' || phase === 'Failed';
  if (o.killRequested && terminal) return { state: 'TASK_KILLED', message: `pod ${pod.metadata?.name} deleted by svc`, ...(exitCode !== undefined ? { exitCode } : {}) };
  if (o.deleted) {
    const disruption = pod.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
    return { state: 'TASK_LOST', message: `pod ${pod.metadata?.name} deleted outside svc${disruption ? `: ${disruption.reason}: ${disruption.message ?? ''}` : ''}` };
  }
  if (phase === 'Succeeded') return { state: 'TASK_FINISHED', message: 'container exited 0', exitCode: exitCode ?? 0 };
  if (phase === 'Failed') {
    const reason = pod.status?.reason ?? '';
    if (LOST_REASONS.has(reason)) return { state: 'TASK_LOST', message: `pod ${reason}: ${pod.status?.message ?? ''}`.trim() };
    return { state: 'TASK_FAILED', message: `container exited ${exitCode ?? '?'}${terminated?.reason ? ` (${terminated.reason})` : ''}`, ...(exitCode !== undefined ? { exitCode } : {}) };
  }
  const waiting = container?.state?.waiting;
  if (waiting?.reason && PULL_OR_CONFIG_FAILURES.has(waiting.reason)) return { state: 'TASK_ERROR', message: `${waiting.reason}: ${waiting.message ?? ''}`.trim() };
  if (phase === 'Running') {
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    return { state: 'TASK_RUNNING', message: 'container running', ...(o.hasReadiness ? { ready } : {}) };
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'True') return { state: 'TASK_STARTING', message: `bound to ${pod.spec?.nodeName ?? '?'}; container being created` };
  return { state: 'TASK_STAGING', message: scheduled?.message ? `not bound yet: ${scheduled.message}` : 'waiting to be bound to its node' };
}

/** Pending and refused by the scheduler: the reason, for a launch that cannot happen. */
export function unschedulableReason(pod: V1Pod): string | undefined {
  if (pod.status?.phase !== 'Pending') return undefined;
  const c = pod.status?.conditions?.find((x) => x.type === 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable' ? (c.message ?? 'unschedulable') : undefined;
}

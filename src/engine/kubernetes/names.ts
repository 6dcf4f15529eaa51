// Names and labels of what svc creates in a namespace. Every object carries the service label, so
// a sweep (and an operator's `kubectl get all -l svc/service=<name>`) finds all of it.
import { createHash } from 'node:crypto';

export const LABEL = {
  service: 'svc/service',
  podInstance: 'svc/pod-instance',
  task: 'svc/task',
  taskId: 'svc/task-id',
  configId: 'svc/config-id',
  reservation: 'svc/reservation',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const ANNOTATION = {
  taskId: 'svc/task-id',
  killGrace: 'svc/kill-grace-period',
  readiness: 'svc/readiness-check',
} as const;

const hash = (s: string, n = 8): string => createHash('sha256').update(s).digest('hex').slice(0, n);

/** A DNS-1123 label (at most `max` characters) from any text: lower-cased, other characters as '-', a hash when shortened. */
export function dnsName(text: string, max = 63): string {
  const clean = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
  if (clean.length <= max) return clean;
  return `${clean.slice(0, max - 9).replace(/-+$/, '')}-${hash(text)}`;
}

/** A label value (at most 63 characters of [-A-Za-z0-9_.], alphanumeric at both ends). */
export function labelValue(text: string): string {
  const clean = text.replace(/[^-A-Za-z0-9_.]+/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  if (clean.length <= 63 && clean === text) return clean;
  return `${clean.slice(0, 54).replace(/[^A-Za-z0-9]+$/, '')}-${hash(text)}`;
}

/** One pod per task launch: the task id's own hash keeps two incarnations of a task apart. */
export const podName = (service: string, task: string, taskId: string): string => dnsName(`${service}-${task}`, 54) + `-${hash(taskId)}`;

export const pvcName = (service: string, podInstance: string, volume: string, reservationId: string): string => dnsName(`${service}-${podInstance}-${volume}`, 54) + `-${hash(reservationId)}`;

export const stateName = (service: string): string => dnsName(`${service}-svc-engine`, 253);
export const leaseName = (service: string): string => dnsName(`${service}-svc-scheduler`, 253);

export const serviceSelector = (service: string): string => `${LABEL.service}=${labelValue(service)}`;

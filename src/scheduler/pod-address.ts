// Where a pod instance's tasks listen: its agent's address, or on a virtual network its own (its
// reservation's). Only pods with networks look their reservation up, a scan of the engine's list:
// done for every pod, each status update and launch would cost O(pods).
import { taskIp, type Agent, type Reservation } from '../engine/types.js';
import type { PodSpec } from '../spec/index.js';

export function podAddress(pod: Pick<PodSpec, 'networks'> | undefined, reservationId: string | undefined, agent: Agent | undefined, reservations: () => readonly Reservation[]): string {
  return taskIp(networkReservation(pod, reservationId, reservations), agent);
}

/** The reservation of a pod on a virtual network (its address, its port mappings); undefined for any other pod. */
export function networkReservation(pod: Pick<PodSpec, 'networks'> | undefined, reservationId: string | undefined, reservations: () => readonly Reservation[]): Reservation | undefined {
  return pod && pod.networks.length > 0 && reservationId ? reservations().find((r) => r.id === reservationId) : undefined;
}

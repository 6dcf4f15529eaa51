// Endpoints (rest-api.md §4.2): every advertised port of every stored task, by port name, as
// `ip:port` and the original's DNS name; a port with a VIP also carries `vip` (its L4LB name), as
// the original's EndpointsQueries. The DNS domains follow SERVICE_TLD / VIP_TLD of the scheduler env.
import type { Agent, Reservation } from '../engine/types.js';
import { podAddress } from './pod-address.js';
import { instanceOf } from '../plan/index.js';
import type { ServiceSpec } from '../spec/index.js';
import type { PodRecord, TaskRecord } from '../state/index.js';
import { domains, taskDnsName, vipEndpoint } from './service-context.js';

export interface Endpoint {
  address: string[];
  dns: string[];
  vip?: string;
}

export function endpointsOf(
  spec: ServiceSpec,
  tasks: readonly TaskRecord[],
  pod: (name: string) => PodRecord | undefined,
  agents: readonly Agent[],
  schedulerEnv: Readonly<Record<string, string>> = {},
  /** A pod on a virtual network is reached at its own address (its reservation's), not its agent's. */
  reservations: readonly Reservation[] = [],
): Map<string, Endpoint> {
  const d = domains(schedulerEnv);
  const out = new Map<string, Endpoint>();
  for (const rec of tasks) {
    const record = pod(instanceOf(rec));
    const podSpec = spec.pods.find((p) => p.name === rec.podType);
    const task = podSpec?.tasks.find((t) => t.name === rec.taskSpec);
    const agent = agents.find((a) => a.id === rec.agentId);
    if (!record || !task || !agent) continue;
    for (const port of task.ports.filter((p) => p.advertise)) {
      const n = record.ports[port.name];
      if (!n) continue;
      const e = out.get(port.name) ?? { address: [], dns: [] };
      e.address.push(`${podAddress(podSpec, record.reservationId, agent, () => reservations)}:${n}`);
      // a discovery prefix renames the task in DNS, as in the original (`<prefix>-<index>`)
      e.dns.push(`${taskDnsName(spec.name, task.discovery?.prefix ? `${task.discovery.prefix}-${rec.podIndex}` : rec.name, d)}:${n}`);
      if (port.vip) e.vip = vipEndpoint(spec.name, port.vip.prefix, port.vip.port, d);
      out.set(port.name, e);
    }
  }
  return out;
}

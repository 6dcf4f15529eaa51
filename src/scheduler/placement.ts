// Where a pod instance may go: a chain of named checks, each either passing or giving a reason.
// Agents are visited in a deterministic order (fewest instances of this pod type, then id).
import type { Agent, Reservation } from '../engine/types.js';

export interface Footprint {
  readonly podType: string;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly placement?: string;
  readonly ports?: ReadonlyArray<{ readonly name: string; readonly port: number }>;
}

export interface PlacementResult {
  readonly agent?: Agent;
  /** Why each rejected agent was rejected, e.g. { "agent-2": "insufficient cpus: 0.5 free, 1 needed" }. */
  readonly rejections: Readonly<Record<string, string>>;
}

type Check = (agent: Agent, onAgent: readonly Reservation[], fp: Footprint) => string | undefined;

const podTypeOf = (r: Reservation) => r.podInstance.replace(/-\d+$/, '');

const free = (agent: Agent, onAgent: readonly Reservation[]) => ({
  cpus: agent.resources.cpus - onAgent.reduce((s, r) => s + r.cpus, 0),
  mem: agent.resources.mem - onAgent.reduce((s, r) => s + r.mem, 0),
  disk: agent.resources.disk - onAgent.reduce((s, r) => s + r.disk, 0),
});

const CHECKS: ReadonlyArray<[string, Check]> = [
  [
    'resources',
    (agent, onAgent, fp) => {
      const f = free(agent, onAgent);
      for (const dim of ['cpus', 'mem', 'disk'] as const) {
        if (f[dim] + 1e-9 < fp[dim]) return `insufficient ${dim}: ${round(f[dim])} free, ${fp[dim]} needed`;
      }
      return undefined;
    },
  ],
  [
    'ports',
    (_agent, onAgent, fp) => {
      const taken = new Set(onAgent.flatMap((r) => r.ports.map((p) => p.port)));
      const clash = (fp.ports ?? []).find((p) => p.port > 0 && taken.has(p.port));
      return clash ? `port ${clash.port} (${clash.name}) already reserved here` : undefined;
    },
  ],
  [
    'hostname:UNIQUE',
    (_agent, onAgent, fp) => {
      if (!fp.placement || !/hostname\s*(:|",\s*")\s*UNIQUE/i.test(fp.placement)) return undefined;
      return onAgent.some((r) => podTypeOf(r) === fp.podType) ? `hostname:UNIQUE: an instance of ${fp.podType} already runs here` : undefined;
    },
  ],
];

const round = (n: number) => Math.round(n * 1000) / 1000;

export function place(agents: readonly Agent[], reservations: readonly Reservation[], fp: Footprint): PlacementResult {
  const rejections: Record<string, string> = {};
  const byAgent = (a: Agent) => reservations.filter((r) => r.agentId === a.id);
  const sameType = (a: Agent) => byAgent(a).filter((r) => podTypeOf(r) === fp.podType).length;
  const ordered = [...agents].sort((a, b) => sameType(a) - sameType(b) || a.id.localeCompare(b.id, 'en', { numeric: true }));
  for (const agent of ordered) {
    const onAgent = byAgent(agent);
    const reason = CHECKS.map(([, check]) => check(agent, onAgent, fp)).find((r) => r !== undefined);
    if (reason === undefined) return { agent, rejections };
    rejections[agent.id] = reason;
  }
  return { rejections };
}

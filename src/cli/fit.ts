// What can never be placed on the local engine's agents, found before install starts anything: a
// pod larger than every agent, or more instances than a UNIQUE/MAX_PER rule allows over the agents'
// distinct values. (A deploy of such a pod would wait for resources until its timeout.)
import type { AgentSettings, ServiceSpec } from './launcher-port.js';

/** The local engine's agents as install sets them up (its defaults: 3 agents, 4 cpus, 8192 MB, zones zone-1..3). */
export interface AgentShape {
  hostname: string;
  zone: string;
  region: string;
  attributes: Readonly<Record<string, string>>;
  cpus: number;
  mem: number;
  disk: number;
}

export function localAgents(o: { agentSettings?: Readonly<AgentSettings>; agents?: number; agentCpus?: number; agentMem?: number }): AgentShape[] {
  const settings = o.agentSettings ?? Array.from({ length: o.agents ?? 3 }, () => ({}) as AgentSettings[number]);
  return settings.map((s, i) => ({
    hostname: `agent-${i + 1}.local`,
    zone: s.zone ?? `zone-${(i % 3) + 1}`,
    region: s.region ?? 'local',
    attributes: s.attributes ?? {},
    cpus: s.cpus ?? o.agentCpus ?? 4,
    mem: s.mem ?? o.agentMem ?? 8192,
    disk: s.disk ?? 65536,
  }));
}

function fieldValue(a: AgentShape, field: string): string | undefined {
  const f = field.replace(/^@/, '');
  if (f === 'hostname') return a.hostname;
  if (f === 'zone') return a.zone;
  if (f === 'region') return a.region;
  return a.attributes[field];
}

/** One sentence per pod that can never be placed; empty when everything may fit. */
export function neverFits(spec: ServiceSpec, agents: readonly AgentShape[]): string[] {
  const problems: string[] = [];
  const n = agents.length;
  for (const pod of spec.pods) {
    if (pod.count === 0) continue;
    const sets = pod.resourceSets.length > 0 ? pod.resourceSets : pod.tasks.map((t) => ({ cpus: t.cpus, memory: t.memory, volumes: t.volumes }));
    const need = {
      cpus: sets.reduce((x, s) => x + s.cpus, 0),
      mem: sets.reduce((x, s) => x + s.memory, 0),
      disk: [...pod.volumes, ...sets.flatMap((s) => s.volumes)].reduce((x, v) => x + v.size, 0),
    };
    if (!agents.some((a) => a.cpus >= need.cpus && a.mem >= need.mem && a.disk >= need.disk)) {
      const biggest = agents.reduce((b, a) => (a.mem > b.mem || (a.mem === b.mem && a.cpus > b.cpus) ? a : b), agents[0]);
      problems.push(
        `pod ${pod.name} needs ${need.cpus} cpus, ${need.mem} MB memory and ${need.disk} MB disk per instance, more than any agent has (the largest: ${biggest?.cpus ?? 0} cpus, ${biggest?.mem ?? 0} MB, ${biggest?.disk ?? 0} MB); give the agents more (--agent-cpus, --agent-mem, --agents-file) or the pod less`,
      );
    }
    for (const rule of pod.constraints) {
      if (rule.operator !== 'UNIQUE' && rule.operator !== 'MAX_PER') continue;
      const per = rule.operator === 'UNIQUE' ? 1 : Number(rule.value);
      if (!Number.isFinite(per)) continue;
      const values = new Set(agents.map((a) => fieldValue(a, rule.field)).filter((v) => v !== undefined)).size;
      if (pod.count > values * per) {
        const text = `${rule.field}:${rule.operator}${rule.value !== undefined ? `:${rule.value}` : ''}`;
        problems.push(
          `pod ${pod.name} wants ${pod.count} instances but ${text} allows ${values * per} on ${n} agent${n === 1 ? '' : 's'} (${values} distinct ${rule.field} value${values === 1 ? '' : 's'}); lower its count or add agents (--agents, --agents-file)`,
        );
      }
    }
  }
  return problems;
}

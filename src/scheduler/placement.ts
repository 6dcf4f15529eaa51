// Where a pod instance may go: a chain of named checks, each either passing or giving a reason
// (resources, ports, then the pod's placement rules). Agents are visited in a deterministic order:
// fewest instances of this pod type first, then by id.
import { agentPorts, type Agent, type Reservation } from '../engine/types.js';
import { podTypeOf } from '../plan/index.js';
import type { PlacementConstraint } from '../spec/index.js';

export interface Footprint {
  readonly podType: string;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly ports?: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  /** The pod's placement rules, ANDed (reference: service-spec.md §7). */
  readonly constraints?: readonly PlacementConstraint[];
}

export interface PlacementResult {
  readonly agent?: Agent;
  /** Why each rejected agent was rejected, e.g. { "agent-2": "insufficient cpus: 0.5 free, 1 needed" }. */
  readonly rejections: Readonly<Record<string, string>>;
}

/** What an agent's reservations hold: summed resources, taken ports, instances per pod type. */
interface AgentUse {
  cpus: number;
  mem: number;
  disk: number;
  readonly ports: Set<number>;
  readonly podTypes: Map<string, number>;
}

const emptyUse = (): AgentUse => ({ cpus: 0, mem: 0, disk: 0, ports: new Set(), podTypes: new Map() });

/**
 * The reservations summed per agent, kept across placements: a deploy places thousands of pods and
 * must not re-read every reservation for each. A list that only grew since the last look (the same
 * array, its last summed entry still in place) is summed from where it left off; anything else is
 * summed afresh.
 */
export class ReservationIndex {
  private source?: readonly Reservation[];
  private summed = 0;
  private last?: Reservation;
  private byAgent = new Map<string, AgentUse>();

  sync(list: readonly Reservation[]): void {
    const grew = list === this.source && list.length >= this.summed && (this.summed === 0 || list[this.summed - 1] === this.last);
    if (!grew) {
      this.byAgent = new Map();
      this.summed = 0;
    }
    for (let i = this.summed; i < list.length; i++) this.add(list[i]);
    this.source = list;
    this.summed = list.length;
    this.last = list[list.length - 1];
  }

  private add(r: Reservation): void {
    let use = this.byAgent.get(r.agentId);
    if (!use) this.byAgent.set(r.agentId, (use = emptyUse()));
    use.cpus += r.cpus;
    use.mem += r.mem;
    use.disk += r.disk;
    for (const p of agentPorts(r)) use.ports.add(p); // a pod on an overlay holds none of the agent's
    const type = podTypeOf(r.podInstance) ?? r.podInstance;
    use.podTypes.set(type, (use.podTypes.get(type) ?? 0) + 1);
  }

  use(agentId: string): AgentUse {
    return this.byAgent.get(agentId) ?? emptyUse();
  }
}

interface Context {
  readonly agents: readonly Agent[];
  readonly index: ReservationIndex;
  readonly fp: Footprint;
}

type Check = (agent: Agent, ctx: Context) => string | undefined;

/** `agent-2` before `agent-10`; one collator, as localeCompare builds one per call. */
const byId = new Intl.Collator('en', { numeric: true });
const round = (n: number) => Math.round(n * 1000) / 1000;
const sameType = (ctx: Context, agent: Agent): number => ctx.index.use(agent.id).podTypes.get(ctx.fp.podType) ?? 0;

const resources: Check = (agent, ctx) => {
  const used = ctx.index.use(agent.id);
  for (const [dim, total] of [['cpus', agent.resources.cpus], ['mem', agent.resources.mem], ['disk', agent.resources.disk]] as const) {
    const free = total - used[dim];
    if (free + 1e-9 < ctx.fp[dim]) return `insufficient ${dim}: ${round(free)} free, ${ctx.fp[dim]} needed`;
  }
  return undefined;
};

const ports: Check = (agent, ctx) => {
  const taken = ctx.index.use(agent.id).ports;
  const clash = (ctx.fp.ports ?? []).find((p) => p.port > 0 && taken.has(p.port));
  return clash ? `port ${clash.port} (${clash.name}) already reserved here` : undefined;
};

/** The value a rule's field has on an agent: hostname, zone, region, or `attribute:value`. */
function fieldValue(agent: Agent, field: string): string | undefined {
  switch (field.replace(/^@/, '')) {
    case 'hostname':
      return agent.hostname;
    case 'zone':
      return agent.zone || undefined;
    case 'region':
      return agent.region || undefined;
    default: {
      const v = agent.attributes?.[field];
      return v === undefined ? undefined : `${field}:${v}`;
    }
  }
}

const fullMatch = (regex: string, s: string) => new RegExp(`^(?:${regex})$`).test(s);
const sameValue = (a: string, b: string) => a === b || (a.trim() !== '' && b.trim() !== '' && !isNaN(Number(a)) && Number(a) === Number(b));

/** One placement rule as a check. Counting rules count the other instances of this pod type. */
function ruleCheck(rule: PlacementConstraint): Check {
  const text = `${rule.field}:${rule.operator}${rule.value !== undefined ? `:${rule.value}` : ''}`;
  const count = (ctx: Context, value: string) => ctx.agents.reduce((n, a) => n + (fieldValue(a, rule.field) === value ? sameType(ctx, a) : 0), 0);
  return (agent, ctx) => {
    const value = fieldValue(agent, rule.field);
    if (value === undefined) return `${text}: this agent has no ${rule.field}`;
    switch (rule.operator) {
      case 'UNIQUE':
      case 'MAX_PER': {
        const max = rule.operator === 'UNIQUE' ? 1 : Number(rule.value);
        return count(ctx, value) + 1 > max ? `${text}: ${count(ctx, value)} instance(s) of ${ctx.fp.podType} already on ${value}` : undefined;
      }
      case 'CLUSTER':
      case 'IS':
        return sameValue(value, rule.value ?? '') ? undefined : `${text}: ${value} is not ${rule.value}`;
      case 'IS_NOT':
        return sameValue(value, rule.value ?? '') ? `${text}: ${value} is excluded` : undefined;
      case 'LIKE':
        return fullMatch(rule.value ?? '', value) ? undefined : `${text}: ${value} does not match`;
      case 'UNLIKE':
        return fullMatch(rule.value ?? '', value) ? `${text}: ${value} matches` : undefined;
      case 'GROUP_BY': {
        const values = [...new Set(ctx.agents.map((a) => fieldValue(a, rule.field)).filter((v): v is string => v !== undefined))];
        const counts = values.map((v) => count(ctx, v));
        const wanted = rule.value ? Number(rule.value) : 0;
        if (wanted && values.filter((v) => count(ctx, v) > 0).length < wanted && count(ctx, value) > 0) return `${text}: spreading over ${wanted} values first`;
        return count(ctx, value) > Math.min(...counts) ? `${text}: ${value} has more instances than the least used value` : undefined;
      }
    }
  };
}

/**
 * The first agent every check accepts; `avoid` (a replaced pod's old agent) is tried last. `index`
 * carries the reservations' sums from one placement to the next.
 */
export function place(agents: readonly Agent[], reservations: readonly Reservation[], fp: Footprint, avoid?: string, index = new ReservationIndex()): PlacementResult {
  index.sync(reservations);
  const ctx: Context = { agents, index, fp };
  const checks: Check[] = [resources, ports, ...(fp.constraints ?? []).map(ruleCheck)];
  const rejections: Record<string, string> = {};
  const ordered = [...agents].sort(
    (a, b) => Number(a.id === avoid) - Number(b.id === avoid) || sameType(ctx, a) - sameType(ctx, b) || byId.compare(a.id, b.id),
  );
  for (const agent of ordered) {
    let reason: string | undefined;
    for (const check of checks) if ((reason = check(agent, ctx)) !== undefined) break;
    if (reason === undefined) return { agent, rejections };
    rejections[agent.id] = reason;
  }
  return { rejections };
}

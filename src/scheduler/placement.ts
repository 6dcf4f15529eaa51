// Where a pod instance may go: a chain of named checks, each either passing or giving a reason
// (resources, ports, then the pod's placement rules). Agents are visited in a deterministic order:
// fewest instances of this pod type first, then by id.
import type { Agent, Reservation } from '../engine/types.js';
import { podTypeOf as podTypeOfInstance } from '../plan/index.js';
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

interface Context {
  readonly agents: readonly Agent[];
  readonly reservations: readonly Reservation[];
  /** The reservations grouped by agent id, once per placement (checks ask for them per agent). */
  readonly byAgent: ReadonlyMap<string, readonly Reservation[]>;
  readonly fp: Footprint;
}

type Check = (agent: Agent, ctx: Context) => string | undefined;

const podTypeOf = (r: Reservation) => podTypeOfInstance(r.podInstance);
const round = (n: number) => Math.round(n * 1000) / 1000;
const onAgent = (ctx: Context, agent: Agent): readonly Reservation[] => ctx.byAgent.get(agent.id) ?? [];

const resources: Check = (agent, ctx) => {
  const used = onAgent(ctx, agent);
  for (const [dim, total] of [['cpus', agent.resources.cpus], ['mem', agent.resources.mem], ['disk', agent.resources.disk]] as const) {
    const free = total - used.reduce((s, r) => s + r[dim], 0);
    if (free + 1e-9 < ctx.fp[dim]) return `insufficient ${dim}: ${round(free)} free, ${ctx.fp[dim]} needed`;
  }
  return undefined;
};

const ports: Check = (agent, ctx) => {
  const taken = new Set(onAgent(ctx, agent).flatMap((r) => r.ports.map((p) => p.port)));
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
  const count = (ctx: Context, value: string) =>
    ctx.reservations.filter((r) => {
      const host = ctx.agents.find((a) => a.id === r.agentId);
      return podTypeOf(r) === ctx.fp.podType && host !== undefined && fieldValue(host, rule.field) === value;
    }).length;
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

/** The first agent every check accepts; `avoid` (a replaced pod's old agent) is tried last. */
export function place(agents: readonly Agent[], reservations: readonly Reservation[], fp: Footprint, avoid?: string): PlacementResult {
  const byAgent = new Map<string, Reservation[]>();
  for (const r of reservations) {
    const list = byAgent.get(r.agentId);
    if (list) list.push(r);
    else byAgent.set(r.agentId, [r]);
  }
  const ctx: Context = { agents, reservations, byAgent, fp };
  const checks: Check[] = [resources, ports, ...(fp.constraints ?? []).map(ruleCheck)];
  const rejections: Record<string, string> = {};
  const sameType = new Map(agents.map((a) => [a.id, onAgent(ctx, a).filter((r) => podTypeOf(r) === fp.podType).length]));
  const ordered = [...agents].sort(
    (a, b) => Number(a.id === avoid) - Number(b.id === avoid) || (sameType.get(a.id) ?? 0) - (sameType.get(b.id) ?? 0) || a.id.localeCompare(b.id, 'en', { numeric: true }),
  );
  for (const agent of ordered) {
    let reason: string | undefined;
    for (const check of checks) if ((reason = check(agent, ctx)) !== undefined) break;
    if (reason === undefined) return { agent, rejections };
    rejections[agent.id] = reason;
  }
  return { rejections };
}

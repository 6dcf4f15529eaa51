// Placement: resources, ports and every placement operator, each rejection with its reason.
import { describe, expect, it } from 'vitest';
import type { Agent, Reservation } from '../../src/engine/types.js';
import { place } from '../../src/scheduler/placement.js';
import { parsePlacement, type PlacementConstraint } from '../../src/spec/index.js';

const anAgent = (id: string, over: Partial<Agent> & { cpus?: number } = {}): Agent =>
  ({ id, hostname: `${id}.local`, ip: '127.0.0.2', zone: 'z1', region: 'r', resources: { cpus: over.cpus ?? 4, mem: 1024, disk: 1024, portRanges: [] }, ...over }) as Agent;
const aReservation = (agentId: string, podInstance: string, cpus = 1, ports: number[] = []): Reservation => ({
  id: `${podInstance}-r`,
  agentId,
  podInstance,
  cpus,
  mem: 0,
  disk: 0,
  volumes: [],
  ports: ports.map((port) => ({ name: `p${port}`, port })),
});
const fp = { podType: 'cache', cpus: 1, mem: 100, disk: 0 };
const rules = (text: string): PlacementConstraint[] => {
  const r = parsePlacement(text);
  if ('error' in r) throw new Error(String(r.error));
  return [...r.constraints];
};

describe('placement', () => {
  it('spreads instances of a pod type over agents, in a deterministic order', () => {
    const agents = [anAgent('agent-2'), anAgent('agent-1'), anAgent('agent-10')];
    expect(place(agents, [], fp).agent?.id).toBe('agent-1');
    expect(place(agents, [aReservation('agent-1', 'cache-0')], fp).agent?.id).toBe('agent-2');
  });

  it('says why each agent was rejected: resources, then ports', () => {
    const result = place([anAgent('agent-1', { cpus: 1 })], [aReservation('agent-1', 'other-0', 0.5)], fp);
    expect(result.agent).toBeUndefined();
    expect(result.rejections).toEqual({ 'agent-1': 'insufficient cpus: 0.5 free, 1 needed' });
    const portClash = place([anAgent('agent-1')], [aReservation('agent-1', 'web-0', 0, [8080])], { ...fp, ports: [{ name: 'http', port: 8080 }] });
    expect(portClash.rejections['agent-1']).toBe('port 8080 (http) already reserved here');
  });

  it("counts a virtual-network pod's agent ports only: none on an overlay, its mapped ones on mesos-bridge", () => {
    const overlay = { ...aReservation('agent-1', 'web-0', 0, [8080]), ip: '10.128.0.2', portMappings: [] };
    expect(place([anAgent('agent-1')], [overlay], { ...fp, ports: [{ name: 'http', port: 8080 }] }).agent?.id).toBe('agent-1');
    const bridged = { ...aReservation('agent-1', 'web-0', 0, [10000]), ip: '10.128.0.3', portMappings: [{ hostPort: 4040, containerPort: 8080 }] };
    expect(place([anAgent('agent-1')], [bridged], { ...fp, ports: [{ name: 'x', port: 4040 }] }).rejections['agent-1']).toBe('port 4040 (x) already reserved here');
    expect(place([anAgent('agent-1')], [bridged], { ...fp, ports: [{ name: 'y', port: 8080 }] }).agent?.id).toBe('agent-1');
  });

  it('tries the agent to avoid (a replaced pod\'s old one) last', () => {
    const agents = [anAgent('agent-1'), anAgent('agent-2')];
    expect(place(agents, [], fp, 'agent-1').agent?.id).toBe('agent-2');
    expect(place([anAgent('agent-1')], [], fp, 'agent-1').agent?.id).toBe('agent-1');
  });

  const agents = [anAgent('agent-1', { zone: 'z1', attributes: { rack: 'r1' } }), anAgent('agent-2', { zone: 'z1', attributes: { rack: 'r2' } }), anAgent('agent-3', { zone: 'z2' })];
  const cases: Array<[string, string, Reservation[], string | undefined]> = [
    ['hostname:UNIQUE takes an agent without an instance', 'hostname:UNIQUE', [aReservation('agent-1', 'cache-0')], 'agent-2'],
    ['[["hostname","UNIQUE"]] refuses when every agent has one', '[["hostname", "UNIQUE"]]', ['agent-1', 'agent-2', 'agent-3'].map((a, i) => aReservation(a, `cache-${i}`)), undefined],
    ['MAX_PER 2 allows a second instance', 'hostname:MAX_PER:2', [aReservation('agent-1', 'cache-0'), aReservation('agent-2', 'cache-1'), aReservation('agent-3', 'cache-2')], 'agent-1'],
    ['@zone UNIQUE counts per zone', '[["@zone", "UNIQUE"]]', [aReservation('agent-1', 'cache-0')], 'agent-3'],
    ['LIKE matches the hostname in full', '[["hostname", "LIKE", "agent-[23].local"]]', [], 'agent-2'],
    ['UNLIKE excludes matches', '[["hostname", "UNLIKE", "agent-1.*"]]', [], 'agent-2'],
    ['CLUSTER pins to one value', '[["hostname", "CLUSTER", "agent-3.local"]]', [], 'agent-3'],
    ['IS_NOT excludes one value', '[["@zone", "IS_NOT", "z1"]]', [], 'agent-3'],
    ['an attribute must exist and match as name:value', '[["rack", "LIKE", "rack:r2"]]', [], 'agent-2'],
    ['GROUP_BY zone fills the emptier zone first', '[["@zone", "GROUP_BY"]]', [aReservation('agent-1', 'cache-0')], 'agent-3'],
    ['other pod types do not count', 'hostname:UNIQUE', [aReservation('agent-1', 'web-0')], 'agent-1'],
  ];
  for (const [name, placement, reservations, want] of cases) {
    it(name, () => expect(place(agents, reservations, { ...fp, constraints: rules(placement) }).agent?.id).toBe(want));
  }

  it('names the rule that rejected each agent', () => {
    const r = place(agents, [], { ...fp, constraints: rules('[["hostname", "CLUSTER", "nowhere"]]') });
    expect(r.rejections['agent-1']).toBe('hostname:CLUSTER:nowhere: agent-1.local is not nowhere');
  });
});

import { describe, expect, it } from 'vitest';
import type { Agent, Reservation } from '../../src/engine/types.js';
import { place } from '../../src/scheduler/placement.js';

const anAgent = (id: string, cpus = 4): Agent => ({ id, hostname: `${id}.local`, ip: '127.0.0.2', zone: 'z', region: 'r', resources: { cpus, mem: 1024, disk: 1024, portRanges: [] } });
const aReservation = (agentId: string, podInstance: string, cpus = 1): Reservation => ({ id: `${podInstance}-r`, agentId, podInstance, cpus, mem: 0, disk: 0, volumes: [], ports: [] });
const fp = { podType: 'cache', cpus: 1, mem: 100, disk: 0 };

describe('placement', () => {
  it('spreads instances of a pod type over agents, in a deterministic order', () => {
    const agents = [anAgent('agent-2'), anAgent('agent-1'), anAgent('agent-10')];
    expect(place(agents, [], fp).agent?.id).toBe('agent-1');
    expect(place(agents, [aReservation('agent-1', 'cache-0')], fp).agent?.id).toBe('agent-2');
  });

  it('says why each agent was rejected', () => {
    const result = place([anAgent('agent-1', 1)], [aReservation('agent-1', 'other-0', 0.5)], fp);
    expect(result.agent).toBeUndefined();
    expect(result.rejections).toEqual({ 'agent-1': 'insufficient cpus: 0.5 free, 1 needed' });
  });

  it('honours hostname:UNIQUE in both syntaxes', () => {
    const agents = [anAgent('agent-1'), anAgent('agent-2')];
    const taken = [aReservation('agent-1', 'cache-0'), aReservation('agent-2', 'cache-1')];
    for (const placement of ['hostname:UNIQUE', '[["hostname", "UNIQUE"]]']) {
      const r = place(agents, taken, { ...fp, placement });
      expect(r.agent).toBeUndefined();
      expect(r.rejections['agent-1']).toMatch(/UNIQUE/);
    }
    expect(place(agents, taken, fp).agent?.id).toBe('agent-1');
  });
});

// Endpoints (rest-api.md §4.2): advertised ports of stored tasks, as ip:port and autoip DNS names.
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/engine/types.js';
import { endpointsOf } from '../../src/scheduler/endpoints.js';
import type { PodRecord, TaskRecord } from '../../src/state/index.js';
import { parsed, withTask } from '../spec/helpers.js';

const agent: Agent = { id: 'agent-1', hostname: 'agent-1.local', ip: '127.9.9.2', zone: 'zone-1', region: 'local', resources: { cpus: 4, mem: 8192, disk: 65536, portRanges: [[10000, 10999]] } };
const task = (i: number): TaskRecord => ({ name: `hello-${i}-server`, podType: 'hello', podIndex: i, taskSpec: 'server', taskId: `id-${i}`, agentId: agent.id, configId: 'c', env: {}, failures: 0 });
const pod = (name: string): PodRecord => ({ name, podType: 'hello', index: Number(name.split('-')[1]), agentId: agent.id, reservationId: `r-${name}`, ports: { http: name === 'hello-0' ? 10000 : 10001 } });
const http = { ports: { http: { port: 0, advertise: true } } };

describe('endpoints', () => {
  it('names each advertised port by task, under the service domain', () => {
    const e = endpointsOf(parsed(withTask({ goal: 'RUNNING', cmd: 'x', cpus: 0.1, memory: 32, ...http })), [task(0), task(1)], pod, [agent]);
    expect(e.get('http')).toEqual({
      address: ['127.9.9.2:10000', '127.9.9.2:10001'],
      dns: ['hello-0-server.hello-world.autoip.dcos.thisdcos.directory:10000', 'hello-1-server.hello-world.autoip.dcos.thisdcos.directory:10001'],
    });
  });

  it("reports a pod on a virtual network at its own address (its reservation's), as the original reported its container IP", () => {
    const res = (id: string, ip: string) => ({ id, agentId: agent.id, podInstance: id.slice(2), cpus: 0, mem: 0, disk: 0, volumes: [], ports: [], ip });
    const spec = parsed(withTask({ goal: 'RUNNING', cmd: 'x', cpus: 0.1, memory: 32, ...http }));
    const onDcos = { ...spec, pods: spec.pods.map((p) => ({ ...p, networks: [{ name: 'dcos', hostPorts: [], containerPorts: [], labels: {} }] })) };
    const e = endpointsOf(onDcos, [task(0), task(1)], pod, [agent], {}, [res('r-hello-0', '10.128.0.2')]);
    expect(e.get('http')?.address).toEqual(['10.128.0.2:10000', '127.9.9.2:10001']);
  });

  it('uses the discovery prefix as the DNS name, as the original did', () => {
    const e = endpointsOf(parsed(withTask({ goal: 'RUNNING', cmd: 'x', cpus: 0.1, memory: 32, discovery: { prefix: 'web' }, ...http })), [task(0), task(1)], pod, [agent]);
    expect(e.get('http')?.dns).toEqual(['web-0.hello-world.autoip.dcos.thisdcos.directory:10000', 'web-1.hello-world.autoip.dcos.thisdcos.directory:10001']);
  });
});

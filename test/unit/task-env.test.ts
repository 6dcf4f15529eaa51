// The task's environment as the original built it: TASKCFG_* routing (TaskEnvRouter), the SDK's
// variables (PodInfoBuilder.getTaskEnvironment), the agent's fault domain, and SERVICE_TLD.
import { describe, expect, it } from 'vitest';
import type { Agent } from '../../src/engine/types.js';
import { configId, routedEnv, routeTaskEnv } from '../../src/spec/index.js';
import { taskEnv } from '../../src/scheduler/launch.js';
import { endpointsOf } from '../../src/scheduler/endpoints.js';
import type { PodRecord, TaskRecord } from '../../src/state/index.js';
import { parsed, withPod, withTask } from '../spec/helpers.js';

const agent: Agent = { id: 'agent-1', hostname: 'agent-1.local', ip: '127.9.9.2', zone: 'zone-2', region: 'region-1', resources: { cpus: 4, mem: 8192, disk: 65536, portRanges: [[10000, 10999]] } };
const record: PodRecord = { name: 'hello-0', podType: 'hello', index: 0, agentId: agent.id, reservationId: 'r', ports: { http: 10005 } };

describe('TASKCFG routing', () => {
  it('routes TASKCFG_ALL_ to every pod type and TASKCFG_<POD>_ to its own, upper-cased with - as _', () => {
    const env = { TASKCFG_ALL_A: '1', TASKCFG_HELLO_WORLD_B: '2', TASKCFG_WORLD_C: '3', OTHER: 'x' };
    expect(routedEnv(env, 'hello-world')).toEqual({ A: '1', B: '2' });
    expect(routedEnv(env, 'world')).toEqual({ A: '1', C: '3' });
  });

  it('lets the later key in sorted order win, as the original TreeMap did', () => {
    // TASKCFG_HELLO_ sorts after TASKCFG_ALL_, TASKCFG_AAA_ before it
    expect(routedEnv({ TASKCFG_ALL_X: 'all', TASKCFG_HELLO_X: 'pod' }, 'hello')).toEqual({ X: 'pod' });
    expect(routedEnv({ TASKCFG_ALL_X: 'all', TASKCFG_AAA_X: 'pod' }, 'aaa')).toEqual({ X: 'all' });
  });

  it('overrides the spec env, and changes the config id when a value changes', () => {
    const spec = parsed(withTask({ goal: 'RUNNING', cmd: 'x', cpus: 0.1, memory: 32, env: { X: 'spec', KEEP: 'k' } }));
    const a = routeTaskEnv(spec, { TASKCFG_ALL_X: 'one' });
    const b = routeTaskEnv(spec, { TASKCFG_ALL_X: 'two' });
    expect(a.pods[0].tasks[0].env).toEqual({ X: 'one', KEEP: 'k' });
    expect(configId(a)).not.toBe(configId(b));
    expect(routeTaskEnv(spec, { PATH: '/bin' })).toBe(spec);
  });
});

describe('task env', () => {
  const spec = parsed(withTask({ goal: 'RUNNING', cmd: 'x', cpus: 0.1, memory: 32, ports: { http: { port: 0, advertise: true, vip: { prefix: 'web', port: 80 } } } }, { placement: '[["@zone", "GROUP_BY", "2"]]' }));
  const input = { spec, pod: spec.pods[0], task: spec.pods[0].tasks[0], record, agentHostname: agent.hostname, agent };

  it("carries the original's variables, the agent's zone and region and the placement references", () => {
    const env = taskEnv({ ...input, context: { schedulerEnv: {}, api: { host: '127.0.0.1', port: 4321, readToken: 'rt' } } });
    expect(env).toMatchObject({
      FRAMEWORK_HOST: 'hello-world.autoip.dcos.thisdcos.directory',
      FRAMEWORK_VIP_HOST: 'hello-world.l4lb.thisdcos.directory',
      SCHEDULER_API_HOSTNAME: '127.0.0.1',
      SCHEDULER_API_PORT: '4321',
      SCHEDULER_API_TOKEN: 'rt',
      ZONE: 'zone-2',
      REGION: 'region-1',
      PLACEMENT_REFERENCED_ZONE: 'true',
      PLACEMENT_REFERENCED_REGION: 'false',
      PORT_HTTP: '10005',
    });
  });

  it('uses SERVICE_TLD and VIP_TLD of the scheduler env for the task env and the endpoints', () => {
    const schedulerEnv = { SERVICE_TLD: 'svc.example.org', VIP_TLD: 'vip.example.org' };
    const env = taskEnv({ ...input, context: { schedulerEnv } });
    expect(env.FRAMEWORK_HOST).toBe('hello-world.svc.example.org');
    expect(env.FRAMEWORK_VIP_HOST).toBe('hello-world.vip.example.org');
    const task: TaskRecord = { name: 'hello-0-server', podType: 'hello', podIndex: 0, taskSpec: 'server', taskId: 'id', agentId: agent.id, configId: 'c', env: {}, failures: 0 };
    expect(endpointsOf(spec, [task], () => record, [agent], schedulerEnv).get('http')).toEqual({
      address: ['127.9.9.2:10005'],
      dns: ['hello-0-server.hello-world.svc.example.org:10005'],
      vip: 'web.hello-world.vip.example.org:80',
    });
  });

  it('says false for placement references when the pod has no zone or region rule', () => {
    const plain = parsed(withPod({ placement: '[["hostname", "UNIQUE"]]' }));
    const env = taskEnv({ spec: plain, pod: plain.pods[0], task: plain.pods[0].tasks[0], record, agentHostname: 'h' });
    expect(env).toMatchObject({ PLACEMENT_REFERENCED_ZONE: 'false', PLACEMENT_REFERENCED_REGION: 'false' });
    expect(env.SCHEDULER_API_TOKEN).toBeUndefined();
  });
});

// Config updates: what may not change between the target config and a new one; stable config ids.
import { describe, expect, it } from 'vitest';
import { configId, validateConfigUpdate, type SpecIssue } from '../../src/spec/index.js';
import { aSpec, merge, parsed, withPod, withTask, type Obj } from './helpers.js';

const vol = { path: 'data', type: 'ROOT', size: 100 };
const base = aSpec({ pods: { hello: { tasks: { server: { volume: vol } } } } });
const two = merge(base, { pods: { world: { count: 3, tasks: { server: { goal: 'RUNNING', cmd: 'x', cpus: 1 } } } } });
const onBase = (pod: Obj): Obj => merge(base, { pods: { hello: pod } });
const update = (from: Obj, to: Obj): SpecIssue[] => validateConfigUpdate(parsed(from), parsed(to));

describe('validateConfigUpdate', () => {
  it.each<[string, Obj, Obj, SpecIssue[]]>([
    ['an identical config', base, base, []],
    ['cpus, memory, env, cmd, ports, image, uris, checks, goal and placement may change', base,
      merge(base, { pods: { hello: { image: 'x:1', uris: ['https://e.x/a.zip'], placement: 'hostname:UNIQUE', tasks: { server: { cpus: 2, memory: 1024, cmd: './v2', env: { A: '1' }, goal: 'ONCE', ports: { p: { port: 0 } }, 'readiness-check': { cmd: 'x', interval: 1, timeout: 1 } } } } } }), []],
    ['pods and tasks may be added and count may grow', base, merge(two, { pods: { hello: { count: 5, tasks: { sidecar: { goal: 'ONCE', cmd: 'x', cpus: 1 } } } } }), []],
    ['the service name may not change', base, merge(base, { name: 'other' }), [{ path: 'name', message: 'cannot change from "hello-world" to "other" (install a new service instead)' }]],
    ['the user may not change (fatal)', base, merge(base, { scheduler: { user: 'nobody' } }), [{ path: 'scheduler.user', message: 'cannot change from "root" to "nobody" (files in persistent volumes belong to the old user)', fatal: true }]],
    ['a pod may not vanish without allow-decommission on the current config', two, base, [{ path: 'pods.world', message: 'cannot be removed: the current config lacks allow-decommission: true (add it in one update, then remove the pod)' }]],
    ['a pod with allow-decommission may vanish', merge(two, { pods: { world: { 'allow-decommission': true } } }), base, []],
    ['count may not shrink without allow-decommission on the new config', two, merge(two, { pods: { world: { count: 1 } } }), [{ path: 'pods.world.count', message: 'cannot shrink from 3 to 1 without allow-decommission: true' }]],
    ['count may shrink with allow-decommission', two, merge(two, { pods: { world: { count: 1, 'allow-decommission': true } } }), []],
    ['a task volume may not be resized', base, withTask({ volume: { ...vol, size: 200 } }), [{ path: 'pods.hello.tasks.server.volumes', message: 'cannot change once deployed: [data:ROOT:100MB] → [data:ROOT:200MB]' }]],
    ['a task volume may not be retyped, added or removed', base, withTask({ volume: undefined, volumes: { a: { ...vol, type: 'MOUNT' }, b: { ...vol, path: 'logs' } } }),
      [{ path: 'pods.hello.tasks.server.volumes', message: 'cannot change once deployed: [data:ROOT:100MB] → [data:MOUNT:100MB, logs:ROOT:100MB]' }]],
    ['renaming a volume key (same path, type, size) is no change', withTask({ volume: undefined, volumes: { a: vol } }), withTask({ volume: undefined, volumes: { b: vol } }), []],
    ['moving a task volume into a resource set with the same shape is no change', base,
      withPod({ 'resource-sets': { rs: { cpus: 1, volume: vol } }, tasks: { server: { volume: undefined, 'resource-set': 'rs' } } }), []],
    ['pod-level volumes are not checked (as the original)', withPod({ volume: vol }), withPod({ volume: { ...vol, size: 1 } }), []],
    ['a pod may not move from host networking to an overlay', base, onBase({ networks: { dcos: null } }), [{ path: 'pods.hello.networks', message: 'cannot move between host networking and a virtual network (host → dcos)' }]],
    ['host networking and mesos-bridge both use host ports', base, onBase({ networks: { 'mesos-bridge': null } }), []],
    ['pre-reserved-role may not change', base, onBase({ 'pre-reserved-role': 'slave_public' }), [{ path: 'pods.hello.pre-reserved-role', message: 'cannot change from "*" to "slave_public"' }]],
  ])('%s', (_name, from, to, want) => {
    expect(update(from, to)).toEqual(want);
  });

  it('has nothing to compare on first install', () => {
    expect(validateConfigUpdate(undefined, parsed(base))).toEqual([]);
  });

  it('reports every problem at once', () => {
    expect(update(two, merge(two, { name: 'x', pods: { world: { count: 0 }, hello: { 'pre-reserved-role': 'r' } } })).map((i) => i.path)).toEqual(['name', 'pods.world.count', 'pods.hello.pre-reserved-role']);
  });
});

describe('configId', () => {
  it('is a UUID that depends only on the content', () => {
    const id = configId(parsed(base));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(configId(parsed(base))).toBe(id);
    // Same content, keys written in another order.
    expect(configId(parsed(aSpec({ pods: { hello: { tasks: { server: { volume: { size: 100, type: 'ROOT', path: 'data' } } } } } })))).toBe(id);
  });

  it('changes with any field, template contents included', () => {
    const spec = parsed(base);
    expect(configId(parsed(withTask({ cpus: 0.6 })))).not.toBe(configId(spec));
    const withConfig = parsed(withTask({ configs: { c: { template: 't', dest: 'd' } } }));
    const content = (text: string) => ({ ...withConfig, pods: [{ ...withConfig.pods[0], tasks: [{ ...withConfig.pods[0].tasks[0], configs: [{ ...withConfig.pods[0].tasks[0].configs[0], content: text }] }] }] });
    expect(configId(content('a'))).not.toBe(configId(content('b')));
  });
});

// One YAML snippet per rule → the exact issues it produces.
import { describe, expect, it } from 'vitest';
import type { SpecIssue } from '../../src/spec/index.js';
import { RLIMITS } from '../../src/spec/pod.js';
import { aSpec, issuesOf, withPod, withTask } from './helpers.js';

type Case = [string, Parameters<typeof issuesOf>[0], SpecIssue[]];

const T = 'pods.hello.tasks.server';
const P = 'pods.hello';
const check = { cmd: 'true', interval: 5, 'grace-period': 30, 'max-consecutive-failures': 3, delay: 0, timeout: 10 };
const issue = (path: string, message: string): SpecIssue => ({ path, message });

function table(cases: Case[]): void {
  it.each(cases)('%s', (_name, spec, want) => {
    expect(issuesOf(spec)).toEqual(want);
  });
}

describe('yaml', () => {
  table([
    ['a syntax error names the line', 'name: x\npods: [\n', [issue('', 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1')]],
    ['a duplicate key at any level', 'name: a\nname: b\npods:\n  p:\n    count: 1\n    tasks:\n      t: {goal: ONCE, cmd: x, cpus: 1, cpus: 2}\n', [issue('name', 'is defined twice'), issue('pods.p.tasks.t.cpus', 'is defined twice')]],
    ['the document must be a mapping', '- a\n- b\n', [issue('', 'must be a mapping, got a list')]],
  ]);
});

describe('service', () => {
  table([
    ['unknown top-level fields are errors', aSpec({ count: 1 }), [issue('count', 'unknown field')]],
    ['name is required', aSpec({ name: undefined }), [issue('name', 'is required')]],
    ['name may not contain "__"', aSpec({ name: 'a__b' }), [issue('name', 'must not contain "__"')]],
    ['name must fit a DNS label once "/" are removed', aSpec({ name: `/folder/${'x'.repeat(64)}` }), [issue('name', 'must be at most 63 characters once "/" are removed (it is used in DNS names), got 70')]],
    ['pods are required', { name: 'x' }, [issue('pods', 'is required')]],
    ['pods may not be empty', { name: 'x', pods: {} }, [issue('pods', 'must name at least one pod')]],
    ['pods must be a mapping', { name: 'x', pods: ['a'] }, [issue('pods', 'must be a mapping, got a list')]],
    ['pod and task names are letters, digits, "-" and "_"', aSpec({ pods: { 'a.b': { count: 1, tasks: { 'x y': { goal: 'ONCE', cmd: 'x', cpus: 1 } } } } }),
      [issue('pods.a.b', 'pod name "a.b" must be letters, digits, "-" or "_", starting with a letter or digit'), issue('pods.a.b.tasks.x y', 'task name "x y" must be letters, digits, "-" or "_", starting with a letter or digit')]],
    ['scheduler fields are strict', aSpec({ scheduler: { principal: 'p', role: 'r' } }), [issue('scheduler.role', 'unknown field')]],
  ]);
});

describe('pods', () => {
  table([
    ['count is required', withPod({ count: undefined }), [issue(`${P}.count`, 'is required')]],
    ['count is a whole number >= 0', withPod({ count: -1 }), [issue(`${P}.count`, 'must be >= 0')]],
    ['count must be a number', withPod({ count: 'two' }), [issue(`${P}.count`, 'must be an integer, got "two"')]],
    ['count must be an integer', withPod({ count: 1.5 }), [issue(`${P}.count`, 'must be an integer, got 1.5')]],
    ['tasks are required', withPod({ tasks: undefined }), [issue(`${P}.tasks`, 'is required')]],
    ['tasks may not be empty', 'name: x\npods:\n  hello:\n    count: 1\n    tasks: {}\n', [issue(`${P}.tasks`, 'must name at least one task')]],
    ['unknown keys directly in a pod are ignored', withPod({ user: 'nobody', container: { networks: { dcos: {} } } }), []],
    ['a placement must parse', withPod({ placement: 'hostname:NEAR' }), [issue(`${P}.placement`, 'unknown placement operator "NEAR" (expected one of UNIQUE, MAX_PER, CLUSTER, IS, IS_NOT, LIKE, UNLIKE, GROUP_BY)')]],
    ['an image may not be empty', withPod({ image: ' ' }), [issue(`${P}.image`, 'must not be empty')]],
    ['allow-decommission is a boolean', withPod({ 'allow-decommission': 'yes' }), [issue(`${P}.allow-decommission`, 'must be true or false, got "yes"')]],
    ['only mesos-bridge maps ports', withPod({ networks: { dcos: { 'host-ports': [80], 'container-ports': [8080] } } }), [issue(`${P}.networks.dcos`, `network "dcos" doesn't support container->host port mapping (only mesos-bridge does)`)]],
    ['port mappings pair up', withPod({ networks: { 'mesos-bridge': { 'host-ports': [80, 81], 'container-ports': [8080] } } }), [issue(`${P}.networks.mesos-bridge.container-ports`, 'must have as many entries as host-ports (2)')]],
    ['network fields are strict', withPod({ networks: { dcos: { label: 'a:b' } } }), [issue(`${P}.networks.dcos.label`, 'unknown field')]],
    ['network labels are k:v pairs', withPod({ networks: { dcos: { labels: 'a' } } }), [issue(`${P}.networks.dcos.labels`, 'must be "key:value" pairs separated by ",", got "a"')]],
    ['rlimit names are Mesos rlimits', withPod({ rlimits: { RLIMIT_FOO: {} } }), [issue(`${P}.rlimits.RLIMIT_FOO`, `unknown rlimit (expected one of ${RLIMITS.join(', ')})`)]],
    ['rlimit soft and hard come together', withPod({ rlimits: { RLIMIT_NOFILE: { soft: 1 } } }), [issue(`${P}.rlimits.RLIMIT_NOFILE`, 'soft and hard must be given together')]],
    ['rlimit soft <= hard', withPod({ rlimits: { RLIMIT_NOFILE: { soft: 2, hard: 1 } } }), [issue(`${P}.rlimits.RLIMIT_NOFILE.soft`, 'must be <= hard (1)')]],
    ['rlimit -1 is for both', withPod({ rlimits: { RLIMIT_CORE: { soft: -1, hard: 10 } } }), [issue(`${P}.rlimits.RLIMIT_CORE`, '-1 (unlimited) must be used for both soft and hard')]],
    ['rlimit values are >= -1', withPod({ rlimits: { RLIMIT_CORE: { soft: -2, hard: -2 } } }), [issue(`${P}.rlimits.RLIMIT_CORE.soft`, 'must be >= -1'), issue(`${P}.rlimits.RLIMIT_CORE.hard`, 'must be >= -1')]],
    ['uris must be URIs', withPod({ uris: ['https://ok.example/a.zip', 'http://bad host/x', 'relative/ok.tgz', ''] }), [issue(`${P}.uris[1]`, 'must be a URI without spaces, got "http://bad host/x"'), issue(`${P}.uris[3]`, 'must not be empty')]],
    ['uris must be strings', withPod({ uris: [{ a: 1 }] }), [issue(`${P}.uris[0]`, 'must be a string, got a mapping')]],
    ['a secret needs its path', withPod({ secrets: { s: { 'env-key': 'S' } } }), [issue(`${P}.secrets.s.secret`, 'is required')]],
    ['a secret file is relative', withPod({ secrets: { s: { secret: 'a/b', file: '/etc/x' } } }), [issue(`${P}.secrets.s.file`, 'file path must be relative (letters, digits, ".", "_", "-", "/"), got "/etc/x"')]],
    ['host volume modes are RW or RO', withPod({ 'host-volumes': { h: { 'host-path': '/etc', 'container-path': 'etc', mode: 'RX' } } }), [issue(`${P}.host-volumes.h.mode`, 'must be one of RW, RO, got "RX"')]],
    ['external volumes are DOCKER', withPod({ 'external-volumes': { e: { type: 'NFS', 'driver-name': 'pxd', 'container-path': 'data' } } }), [issue(`${P}.external-volumes.e.type`, 'must be one of DOCKER, got "NFS"')]],
    ['seccomp-unconfined excludes a profile', withPod({ 'seccomp-unconfined': true, 'seccomp-profile-name': 'p' }), [issue(`${P}.seccomp-unconfined`, 'cannot be true together with seccomp-profile-name')]],
    ['seccomp-unconfined false allows a profile', withPod({ 'seccomp-unconfined': false, 'seccomp-profile-name': 'p' }), []],
    ['pods may not SHARE_PARENT', withPod({ 'ipc-mode': 'SHARE_PARENT' }), [issue(`${P}.ipc-mode`, 'SHARE_PARENT is not allowed at pod level (only PRIVATE)')]],
    ['pod ipc-mode values', withPod({ 'ipc-mode': 'HOST' }), [issue(`${P}.ipc-mode`, 'must be one of PRIVATE, SHARE_PARENT, got "HOST"')]],
    ['resource-set fields are strict', withPod({ 'resource-sets': { rs: { cpus: 1, disk: 5 } } }), [issue(`${P}.resource-sets.rs.disk`, 'unknown field')]],
    ['a declared resource set may not be empty', withPod({ 'resource-sets': { rs: { volume: { path: 'd', type: 'ROOT', size: 1 } } } }), [issue(`${P}.resource-sets.rs`, 'resources cannot be empty: give cpus, gpus, memory or ports')]],
  ]);
});

describe('tasks', () => {
  table([
    ['unknown task fields are errors', withTask({ uris: ['x'], 'health-checks': {} }), [issue(`${T}.uris`, 'unknown field'), issue(`${T}.health-checks`, 'unknown field')]],
    ['goal is required', withTask({ goal: undefined }), [issue(`${T}.goal`, 'is required')]],
    ['goal values', withTask({ goal: 'DONE' }), [issue(`${T}.goal`, 'must be RUNNING, FINISH (or FINISHED) or ONCE, got "DONE"')]],
    ['cmd is required', withTask({ cmd: undefined }), [issue(`${T}.cmd`, 'is required')]],
    ['cmd may not be blank', withTask({ cmd: '  ' }), [issue(`${T}.cmd`, 'must not be empty')]],
    ['essential is a boolean', withTask({ essential: 'no' }), [issue(`${T}.essential`, 'must be true or false, got "no"')]],
    ['env values are scalars', withTask({ env: { A: ['x'] } }), [issue(`${T}.env.A`, 'must be a string, got a list')]],
    ['cpus > 0', withTask({ cpus: 0 }), [issue(`${T}.cpus`, 'must be > 0')]],
    ['gpus > 0', withTask({ gpus: -1 }), [issue(`${T}.gpus`, 'must be > 0')]],
    ['memory > 0', withTask({ memory: 0 }), [issue(`${T}.memory`, 'must be > 0')]],
    ['cpus must be a number', withTask({ cpus: 'lots' }), [issue(`${T}.cpus`, 'must be a number, got "lots"')]],
    ['resources cannot be empty', withTask({ cpus: undefined, memory: undefined }), [issue(T, 'resources cannot be empty: give cpus, gpus, memory or ports, or a resource-set')]],
    ['a port alone is a resource', withTask({ cpus: undefined, memory: undefined, ports: { http: { port: 0 } } }), []],
    ['the resource set must exist', withTask({ 'resource-set': 'nope' }), [issue(`${T}.resource-set`, 'no resource set "nope" in pod "hello"')]],
    ['kill-grace-period is at most an hour', withTask({ 'kill-grace-period': 3601 }), [issue(`${T}.kill-grace-period`, 'must be <= 3600')]],
    ['kill-grace-period is >= 0', withTask({ 'kill-grace-period': -1 }), [issue(`${T}.kill-grace-period`, 'must be >= 0')]],
    ['labels are k:v pairs', withTask({ labels: 'a:1,b' }), [issue(`${T}.labels`, 'must be "key:value" pairs separated by ",", got "a:1,b"')]],
    ['label keys may not be empty', withTask({ labels: ':v' }), [issue(`${T}.labels`, 'must be "key:value" pairs separated by ",", got ":v"')]],
    ['labels are not a list', withTask({ labels: ['a:b'] }), [issue(`${T}.labels`, 'must be a "key:value,key:value" string, got a list')]],
    ['shm-size does not go with SHARE_PARENT', withTask({ 'ipc-mode': 'SHARE_PARENT', 'shm-size': 64 }), [issue(`${T}.shm-size`, 'does not apply when ipc-mode is SHARE_PARENT')]],
    ['discovery visibility values', withTask({ discovery: { visibility: 'PUBLIC' } }), [issue(`${T}.discovery.visibility`, 'must be one of FRAMEWORK, CLUSTER, EXTERNAL, got "PUBLIC"')]],
    ['transport encryption needs a name and a type', withTask({ 'transport-encryption': [{ type: 'PEM' }] }), [issue(`${T}.transport-encryption[0].name`, 'is required'), issue(`${T}.transport-encryption[0].type`, 'must be one of TLS, KEYSTORE, got "PEM"')]],
    ['configs need template and dest', withTask({ configs: { c: { template: 'a.mustache' } } }), [issue(`${T}.configs.c.dest`, 'is required')]],
    ['config dests are unique per task', withTask({ configs: { a: { template: 'a', dest: 'x.conf' }, b: { template: 'b', dest: 'x.conf' } } }), [issue(`${T}.configs.b.dest`, 'is also the dest of config "a"')]],
  ]);
});

describe('checks', () => {
  table([
    ['a health check needs all six fields', withTask({ 'health-check': { cmd: 'true' } }), ['interval', 'grace-period', 'max-consecutive-failures', 'delay', 'timeout'].map((f) => issue(`${T}.health-check.${f}`, 'is required'))],
    ['max-consecutive-failures >= 1', withTask({ 'health-check': { ...check, 'max-consecutive-failures': 0 } }), [issue(`${T}.health-check.max-consecutive-failures`, 'must be >= 1')]],
    ['check durations are >= 0', withTask({ 'health-check': { ...check, timeout: -5 } }), [issue(`${T}.health-check.timeout`, 'must be >= 0')]],
    ['health-check fields are strict', withTask({ 'health-check': { ...check, port: 80 } }), [issue(`${T}.health-check.port`, 'unknown field')]],
    ['a readiness check needs cmd, interval and timeout', withTask({ 'readiness-check': { delay: 1 } }), [issue(`${T}.readiness-check.cmd`, 'is required'), issue(`${T}.readiness-check.interval`, 'is required'), issue(`${T}.readiness-check.timeout`, 'is required')]],
    ['readiness checks have no grace period', withTask({ 'readiness-check': { cmd: 'x', interval: 1, timeout: 1, 'grace-period': 3 } }), [issue(`${T}.readiness-check.grace-period`, 'unknown field')]],
  ]);
});

describe('ports', () => {
  const ports = (p: Record<string, unknown>) => withTask({ ports: p });
  table([
    ['a fixed port appears once per resource set', ports({ a: { port: 80 }, b: { port: 80 }, c: { port: 0 }, d: { port: 0 } }), [issue(`${T}.ports.b.port`, 'port 80 is already used by port "a"')]],
    ['ports are 0-65535', ports({ a: { port: 70000 } }), [issue(`${T}.ports.a.port`, 'must be <= 65535')]],
    ['env-key is a variable name', ports({ a: { port: 0, 'env-key': 'MY-PORT' } }), [issue(`${T}.ports.a.env-key`, 'must be an environment variable name, got "MY-PORT"')]],
    ['a VIP needs its port', ports({ a: { port: 0, vip: { prefix: 'web' } } }), [issue(`${T}.ports.a.vip.port`, 'is required')]],
    ['a VIP prefix may not name another port', ports({ http: { port: 0 }, other: { port: 0, vip: { prefix: 'http', port: 80 } } }), [issue(`${T}.ports.other.vip.prefix`, '"http" is the name of another port')]],
    ['range begin <= end', ports({ a: { port: 0, ranges: [{ begin: 10, end: 5 }] } }), [issue(`${T}.ports.a.ranges[0]`, 'begin 10 must be <= end 5')]],
    ['port fields are strict', ports({ a: { port: 0, visibility: 'EXTERNAL' } }), [issue(`${T}.ports.a.visibility`, 'unknown field')]],
    ['advertised port names are unique across the service', aSpec({ pods: { hello: { tasks: { server: { ports: { web: { port: 0, advertise: true } } } } }, world: { count: 1, tasks: { server: { goal: 'RUNNING', cmd: 'x', ports: { web: { port: 0, advertise: true } } } } } } }),
      [issue('pods.world.tasks.server.ports.web', 'advertised port name "web" is already used by pods.hello.tasks.server.ports.web (endpoint names must be unique in a service)')]],
    ['non-advertised port names may repeat', aSpec({ pods: { world: { count: 1, tasks: { server: { goal: 'RUNNING', cmd: 'x', ports: { web: { port: 0 } } } } }, hello: { tasks: { server: { ports: { web: { port: 0 } } } } } } }), []],
    ['tasks sharing a resource set share its advertised ports', withPod({ 'resource-sets': { rs: { cpus: 1, ports: { web: { port: 0, advertise: true } } } }, tasks: { server: { 'resource-set': 'rs' }, init: { goal: 'ONCE', cmd: 'x', 'resource-set': 'rs' } } }), []],
  ]);
});

describe('volumes', () => {
  const vol = { path: 'data', type: 'ROOT', size: 100 };
  table([
    ['volume and volumes are exclusive on a task', withTask({ volume: vol, volumes: { v: { ...vol, path: 'other' } } }), [issue(`${T}.volumes`, 'may not be given together with "volume"')]],
    ['pod-level volume and volumes add up', withPod({ volume: vol, volumes: { v: { ...vol, path: 'other' } } }), []],
    ['a volume path is one directory name', withTask({ volume: { ...vol, path: 'a/b' } }), [issue(`${T}.volume.path`, 'must be one relative directory name (letters, digits, "_" and "-"), got "a/b"')]],
    ['a volume needs path, type and size', withTask({ volume: {} }), [issue(`${T}.volume.path`, 'is required'), issue(`${T}.volume.type`, 'is required'), issue(`${T}.volume.size`, 'is required')]],
    ['volume types are ROOT or MOUNT', withTask({ volume: { ...vol, type: 'PATH' } }), [issue(`${T}.volume.type`, 'must be one of ROOT, MOUNT, got "PATH"')]],
    ['volume sizes are whole MB > 0', withTask({ volume: { ...vol, size: 0 } }), [issue(`${T}.volume.size`, 'must be > 0')]],
    ['profiles are for MOUNT volumes only', withTask({ volume: { ...vol, profiles: ['fast'] } }), [issue(`${T}.volume.profiles`, 'are only allowed for MOUNT volumes')]],
    ['profile names', withTask({ volume: { ...vol, type: 'MOUNT', profiles: ['fast lane', 'fast', 'fast'] } }), [issue(`${T}.volume.profiles[0]`, 'must be 1-128 letters, digits, "_", "." or "-", got "fast lane"'), issue(`${T}.volume.profiles`, 'must not repeat a profile')]],
    ['volume paths are unique in a resource set', withTask({ volumes: { a: vol, b: vol } }), [issue(`${T}.volumes.b`, 'path "data" is used by another volume')]],
  ]);
});

describe('resource limits', () => {
  table([
    ['a limit below the request', withTask({ memory: 512, 'resource-limits': { memory: 256 } }), [issue(`${T}.resource-limits.memory`, 'the mem limit 256 is less than the requested amount 512')]],
    ['a limit is a number or unlimited', withTask({ 'resource-limits': { cpus: 'lots' } }), [issue(`${T}.resource-limits.cpus`, 'must be a number or "unlimited", got "lots"')]],
    ['resource-limits fields are strict', withTask({ 'resource-limits': { mem: 1 } }), [issue(`${T}.resource-limits.mem`, 'unknown field')]],
  ]);
});

describe('discovery', () => {
  const twoPods = (prefix: string, otherPod: boolean) =>
    aSpec({
      pods: {
        hello: { tasks: { server: { discovery: { prefix: 'node' } }, ...(otherPod ? {} : { sidecar: { goal: 'ONCE', cmd: 'x', cpus: 1, discovery: { prefix } } }) } },
        ...(otherPod ? { world: { count: 1, tasks: { server: { goal: 'RUNNING', cmd: 'x', cpus: 1, discovery: { prefix } } } } } : {}),
      },
    });
  table([
    ['tasks of one pod may share a prefix', twoPods('node', false), []],
    ['two pods may not share a prefix', twoPods('node', true), [issue('pods.world.tasks.server.discovery.prefix', 'DNS name "node" is already used by pod "hello" (tasks in different pods cannot share DNS names)')]],
  ]);
});

describe('plans', () => {
  const phase = (p: Record<string, unknown>) => aSpec({ plans: { deploy: { phases: { main: { pod: 'hello', ...p } } } } });
  table([
    ['a deploy plan is required when plans are given', aSpec({ plans: { other: { phases: { p: { pod: 'hello' } } } } }), [issue('plans', 'must include a "deploy" plan when plans are given')]],
    ['recovery and decommission are the scheduler\'s', aSpec({ plans: { deploy: { phases: { p: { pod: 'hello' } } }, recovery: { phases: { p: { pod: 'hello' } } } } }), [issue('plans.recovery', 'is a plan name reserved for the scheduler')]],
    ['plan strategies', aSpec({ plans: { deploy: { strategy: 'canary', phases: { p: { pod: 'hello' } } } } }), [issue('plans.deploy.strategy', 'unsupported plan strategy "canary" (expected one of serial, parallel)')]],
    ['phase strategies', phase({ strategy: 'dependency' }), [issue('plans.deploy.phases.main.strategy', 'unsupported phase strategy "dependency" (expected one of serial, parallel, serial-canary, canary, parallel-canary)')]],
    ['a plan needs phases', aSpec({ plans: { deploy: { strategy: 'serial' } } }), [issue('plans.deploy.phases', 'must name at least one phase')]],
    ['plan fields are strict', aSpec({ plans: { deploy: { phases: { p: { pod: 'hello', tasks: ['server'] } } } } }), [issue('plans.deploy.phases.p.tasks', 'unknown field')]],
    ['a phase needs a pod', phase({ pod: undefined }), [issue('plans.deploy.phases.main.pod', 'is required')]],
    ['the pod must exist', phase({ pod: 'nope' }), [issue('plans.deploy.phases.main.pod', 'no pod named "nope"')]],
    ['steps are single-entry maps', phase({ steps: [{ 0: [['server']], 1: [['server']] }] }), [issue('plans.deploy.phases.main.steps[0]', 'must be a mapping with a single "<index>|default: [[task, ...]]" entry, got a mapping')]],
    ['step keys are indexes or default', phase({ steps: [{ first: [['server']] }, { default: [['server']] }] }), [issue('plans.deploy.phases.main.steps[0]', 'step key must be "default" or a pod index, got "first"')]],
    ['step tasks must exist', phase({ steps: [{ default: [['server', 'nope']] }] }), [issue('plans.deploy.phases.main.steps[0].default', 'no task named "nope" in pod "hello"')]],
    ['step values are lists of task lists', phase({ steps: [{ default: ['server'] }] }), [issue('plans.deploy.phases.main.steps[0].default', 'must be a list of non-empty task lists, e.g. [[init], [server]], got "server"')]],
    ['every index needs an entry or a default', phase({ steps: [{ 1: [['server']] }] }), [issue('plans.deploy.phases.main.steps', 'no step entry for index 0 of pod "hello" and no "default"')]],
    ['entries beyond count are ignored', phase({ steps: [{ 0: [['server']] }, { 1: [['server']] }, { 7: [['server']] }] }), []],
  ]);
});

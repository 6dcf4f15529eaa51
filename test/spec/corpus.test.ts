// The SDK's own specs: what the valid ones mean, and every hello-world variant renders from the
// hello-world package and parses (on the copies in test/fixtures/dcos-commons); with the upstream
// corpus at hand, every sdk-tests spec loads or is rejected where the original rejects it, and the
// copies are the upstream files.
import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadServiceSpec, renderPackage, SpecError, type ServiceSpec, type SpecIssue } from '../../src/spec/index.js';
import { FIXTURE_CORPUS, HAS_UPSTREAM_CORPUS, UPSTREAM_CORPUS } from '../upstream.js';
import { HELLOWORLD, HELLOWORLD_PACKAGE, SDK_TESTS } from './helpers.js';

const ymls = (dir: string, prefix = '') => readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.yml')).sort();
const UPSTREAM_SDK_TESTS = resolve(UPSTREAM_CORPUS, 'sdk-tests');
/** Every file under a folder, relative to it. */
const filesUnder = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => relative(dir, resolve(d.parentPath, d.name))).sort();

/** Env for the sdk-tests specs that are mustache templates (custom-phases, invalid-plan-steps, test-render*). */
const SDK_ENV = { HELLO_CPUS: '1', VOL_SIZE: '10', ENABLED: 'true' };

async function issuesOfFile(file: string, env: Record<string, string>): Promise<readonly SpecIssue[]> {
  try {
    await loadServiceSpec(file, env);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
}

// File → the paths of every issue, and a fragment of the first issue's message.
const INVALID: Record<string, { paths: string[]; message: string }> = {
  'invalid-config-file.yml': { paths: ['pods.pod-type.tasks.some-task.configs.conf-doesnt-exist.template'], message: 'template file "file-doesnt-exist.conf.mustache" not found' },
  'invalid-duplicate-container-definition.yml': { paths: ['pods.server.networks.test'], message: `network "test" doesn't support container->host port mapping` },
  'invalid-duplicate-count.yml': { paths: ['pods.pod-type.count'], message: 'is defined twice' },
  'invalid-duplicate-port-names.yml': {
    paths: [
      'pods.pod-type.tasks.meta-data-task.ports.in-resource-set',
      'pods.meta-data.tasks.meta-data-task.ports.across-pods',
      'pods.meta-data.tasks.data-store-task.ports.across-tasks',
    ],
    message: 'advertised port name "in-resource-set" is already used by pods.pod-type.resource-sets.a-resource-set.ports.in-resource-set',
  },
  'invalid-duplicate-ports.yml': { paths: ['pods.meta-data.tasks.meta-data-task.ports.another.port'], message: 'port 8080 is already used by port "http"' },
  'invalid-image-null.yml': { paths: ['pods.server.image'], message: 'must not be empty' },
  'invalid-network-labels-blank.yml': { paths: ['pods.server.networks.dcos.labels'], message: 'must be "key:value" pairs separated by ","' },
  'invalid-network-labels-format.yml': { paths: ['pods.server.networks.dcos.labels'], message: 'got "key1,val1"' },
  'invalid-network.yml': { paths: ['pods.server.networks.dcos'], message: `network "dcos" doesn't support container->host port mapping` },
  'invalid-plan-steps.yml': {
    paths: ['plans.deploy.phases.hello-deploy.steps[1]', 'plans.deploy.phases.hello-deploy.steps', 'plans.deploy.phases.world-deploy.steps'],
    message: 'step key "0" is defined twice',
  },
  'invalid-pod-name.yml': { paths: ['pods.meta-data', 'pods.meta-data.resource-sets.meta-data-resources.volume.path'], message: 'is defined twice' },
  'invalid-resource-limits-in-resource-set.yml': {
    paths: ['pods.pod-type.resource-sets.meta-data-task-resourceset.resource-limits.cpus'],
    message: 'the cpus limit 0.5 is less than the requested amount 1',
  },
  'invalid-resource-set-name.yml': { paths: ['pods.meta-data.resource-sets.data-store-resources', 'pods.meta-data.tasks.data-store-task.health-checks'], message: 'is defined twice' },
  'invalid-rlimit-name.yml': { paths: ['pods.meta-data.rlimits.RLIMIT_NONSENSE'], message: 'unknown rlimit' },
  'invalid-scalar-cpu-resource.yml': { paths: ['pods.pod-type.tasks.meta-data-task.cpus'], message: 'must be > 0' },
  'invalid-scalar-disk-resource.yml': { paths: ['pods.pod-type.tasks.meta-data-task.volumes.index.size'], message: 'must be > 0' },
  'invalid-scalar-mem-resource.yml': { paths: ['pods.pod-type.tasks.meta-data-task.memory'], message: 'must be > 0' },
  'invalid-seccomp-info.yml': { paths: ['pods.meta-data.seccomp-unconfined'], message: 'cannot be true together with seccomp-profile-name' },
  'invalid-share-parent-pod.yml': { paths: ['pods.meta-data.ipc-mode'], message: 'SHARE_PARENT is not allowed at pod level' },
  'invalid-share-parent-shm-size.yml': { paths: ['pods.hello.tasks.baz.shm-size'], message: 'does not apply when ipc-mode is SHARE_PARENT' },
  'invalid-task-dns.yml': { paths: ['pods.other-pod.tasks.other-task.discovery.prefix'], message: 'DNS name "meta-data" is already used by pod "pod-type"' },
  'invalid-task-kill-grace-period-seconds.yml': { paths: ['pods.pod-type.tasks.meta-data-task.kill-grace-period'], message: 'must be >= 0' },
  'invalid-task-labels-blank.yml': { paths: ['pods.server.tasks.server.labels'], message: 'got "   "' },
  'invalid-task-labels-format.yml': { paths: ['pods.server.tasks.server.labels'], message: 'got "label1,label1-value"' },
  'invalid-task-name.yml': { paths: ['pods.meta-data.tasks.meta-data-task'], message: 'is defined twice' },
  'invalid-task-resources.yml': { paths: ['pods.meta-data.tasks.meta-data-task'], message: 'resources cannot be empty' },
  // Both ports are fixed at 8080 (checked first by the original), the VIP prefix names the other
  // port, and the task itself has no resources (it names no resource set).
  'invalid-vip-port-name-collision.yml': {
    paths: [
      'pods.meta-data.resource-sets.meta-data-resources.ports.http-other.port',
      'pods.meta-data.resource-sets.meta-data-resources.ports.http-other.vip.prefix',
      'pods.meta-data.tasks.meta-data-task',
    ],
    message: 'port 8080 is already used by port "http"',
  },
  'invalid-volume-and-volumes.yml': { paths: ['pods.pod-type.tasks.meta-data-task.volumes'], message: 'may not be given together with "volume"' },
};

// "valid-" and other specs the original rejects too (reference §12.2), with the same detail.
const REJECTED: Record<string, { paths: string[]; message: string }> = {
  // Its plans name pods that do not exist and repeat step keys: the original only gets away with it
  // because its unit test never builds plans; a scheduler would fail at plan generation.
  'valid-exhaustive.yml': {
    paths: [
      'plans.deploy.phases.journal-deploy.pod',
      'plans.deploy.phases.nn-deploy.pod',
      'plans.deploy.phases.nn-deploy.steps[1]',
      'plans.deploy.phases.nn-deploy.steps[3]',
      'plans.deploy.phases.dn-deploy.pod',
    ],
    message: 'no pod named "journal"',
  },
  // Not a service spec at all (a fragment used by the original's YAML-reader test).
  'test.yml': { paths: ['count', 'pods'], message: 'unknown field' },
};

describe.skipIf(!HAS_UPSTREAM_CORPUS)('upstream corpus: sdk-tests (skipped when the upstream corpus is absent)', () => {
  it('has an expectation for every invalid-*.yml', () => {
    expect(ymls(UPSTREAM_SDK_TESTS, 'invalid-')).toEqual(Object.keys(INVALID).sort());
  });

  it.each(Object.entries({ ...INVALID, ...REJECTED }))('%s is rejected where the original rejects it', async (file, want) => {
    const issues = await issuesOfFile(resolve(UPSTREAM_SDK_TESTS, file), SDK_ENV);
    expect(issues.map((i) => i.path)).toEqual(want.paths);
    expect(issues[0].message).toContain(want.message);
  });

  const valid = HAS_UPSTREAM_CORPUS ? ymls(UPSTREAM_SDK_TESTS).filter((f) => !f.startsWith('invalid-') && !(f in REJECTED)) : [];
  it('covers every valid-*.yml', () => {
    expect(valid.filter((f) => f.startsWith('valid-')).length + 1).toBe(ymls(UPSTREAM_SDK_TESTS, 'valid-').length);
  });

  it.each(valid)('%s loads', async (file) => {
    expect(await issuesOfFile(resolve(UPSTREAM_SDK_TESTS, file), SDK_ENV)).toEqual([]);
  });

  it('the copies in test/fixtures/dcos-commons are the upstream files, unchanged', () => {
    const copies = filesUnder(FIXTURE_CORPUS).filter((f) => f !== 'README.md');
    expect(copies.length).toBeGreaterThan(60);
    for (const f of copies) expect(readFileSync(resolve(FIXTURE_CORPUS, f), 'utf8'), f).toBe(readFileSync(resolve(UPSTREAM_CORPUS, f), 'utf8'));
  });
});

describe('the copies of the SDK specs', () => {
  it('every valid sdk-tests copy loads', async () => {
    const copies = ymls(SDK_TESTS).filter((f) => !f.startsWith('invalid-'));
    expect(copies.length).toBeGreaterThan(20);
    for (const f of copies) expect(await issuesOfFile(resolve(SDK_TESTS, f), SDK_ENV), f).toEqual([]);
  });

  it.each(ymls(SDK_TESTS, 'invalid-'))('%s is rejected where the original rejects it', async (file) => {
    const want = INVALID[file];
    const issues = await issuesOfFile(resolve(SDK_TESTS, file), SDK_ENV);
    expect(issues.map((i) => i.path)).toEqual(want.paths);
    expect(issues[0].message).toContain(want.message);
  });
});

describe('sdk-tests: what the valid specs mean', () => {
  const load = (file: string, env: Record<string, string> = SDK_ENV) => loadServiceSpec(resolve(SDK_TESTS, file), env);
  const task = (spec: ServiceSpec, pod = 0, t = 0) => spec.pods[pod].tasks[t];

  it('valid-finished.yml: FINISHED is accepted and is the FINISH goal', async () => {
    expect(task(await load('valid-finished.yml')).goal).toBe('FINISHED');
  });

  it('valid-envkey-ports.yml: ports-only resources; only name1 has an env-key', async () => {
    const t = task(await load('valid-envkey-ports.yml'));
    expect([t.cpus, t.memory]).toEqual([0, 0]);
    expect(t.ports.map((p) => [p.name, p.port, p.envKey])).toEqual([['name1', 8080, 'key1'], ['name2', 8088, undefined], ['name3', 8089, undefined]]);
  });

  it('ranges.yml: missing begin is 0, missing end is 65535', async () => {
    const [name1, name2] = task(await load('ranges.yml')).ports;
    expect(name1.ranges).toEqual([{ begin: 1, end: 21 }, { begin: 2000, end: 5050 }]);
    expect(name2.ranges).toEqual([{ begin: 0, end: 21 }, { begin: 5000, end: 65535 }]);
  });

  it('valid-task-labels.yml and valid-network.yml: labels split on the first ":"', async () => {
    expect(task(await load('valid-task-labels.yml')).labels).toEqual({ label1: 'label1-value', label2: 'path:/' });
    expect((await load('valid-network.yml')).pods[0].networks).toEqual([{ name: 'dcos', hostPorts: [], containerPorts: [], labels: { key1: 'val1', key2: 'val2a:val2b' } }]);
  });

  it('valid-secrets.yml: a secret with neither env-key nor file is mounted at its own path', async () => {
    const world = (await load('valid-secrets.yml')).pods[1];
    expect(world.secrets).toEqual([
      { name: 'secret1', secret: 'hello-world/world/somePath/secret1', envKey: 'WORLD_SECRET1_ENV' },
      { name: 'secret2', secret: 'hello-world/world/somePath/secret2', file: 'WORLD_SECRET2_FILE' },
      { name: 'secret3', secret: 'hello-world/world/somePath/secret3', file: 'hello-world/world/somePath/secret3' },
    ]);
  });

  it('valid-resource-limits-*.yml: unlimited, numbers and blanks', async () => {
    expect(task(await load('valid-resource-limits-in-task.yml')).resourceLimits).toEqual({ cpus: 'unlimited', memory: 1024 });
    expect(task(await load('valid-resource-limits-in-resource-set.yml')).resourceLimits).toEqual({ cpus: 'unlimited', memory: 1024 });
    expect(task(await load('valid-resource-limits-empty.yml')).resourceLimits).toEqual({});
  });

  it('valid-automatic-cni-port-forwarding.yml: explicit mesos-bridge port pairs', async () => {
    const pod = (await load('valid-automatic-cni-port-forwarding.yml')).pods[2];
    expect(pod.networks).toEqual([{ name: 'mesos-bridge', hostPorts: [4040, 4041], containerPorts: [8080, 8081], labels: {} }]);
  });

  it('valid-minimal-health-configfile.yml: templates are read beside the spec; dest may leave the sandbox', async () => {
    const t = task(await load('valid-minimal-health-configfile.yml'));
    expect(t.configs).toEqual([
      { name: 'config-one', template: 'config-one.conf.mustache', dest: 'conf/config-one.conf', content: 'hello\n' },
      { name: 'config-two', template: 'config-two.xml.mustache', dest: '../other/conf/config-two.xml', content: 'hey\n' },
    ]);
    expect(t.healthCheck).toEqual({ cmd: './health-check', interval: 5, gracePeriod: 30, maxConsecutiveFailures: 3, delay: 0, timeout: 10 });
    expect(t.discovery).toEqual({ prefix: 'meta-data', visibility: 'CLUSTER' });
  });

  it('valid-profile-mount-volume.yml and valid-minimal-volume.yml: volumes', async () => {
    expect(task(await load('valid-profile-mount-volume.yml')).volumes).toEqual([{ name: 'container-path', path: 'container-path', type: 'MOUNT', size: 10, profiles: ['fast', 'slow'] }]);
    expect(task(await load('valid-minimal-volume.yml')).volumes).toEqual([{ name: 'container-path', path: 'container-path', type: 'ROOT', size: 10, profiles: [] }]);
  });

  it('valid-customzk.yml and resource-refinement.yml: scheduler and pod settings', async () => {
    expect((await load('valid-customzk.yml')).scheduler).toEqual({ principal: 'hello-world-principal', user: 'root', zookeeper: 'custom.master.mesos:2181' });
    expect((await load('resource-refinement.yml')).pods[0].preReservedRole).toBe('base-role');
  });

  it('valid-host-volume.yml and valid-external-volume.yml', async () => {
    expect((await load('valid-host-volume.yml')).pods[0].hostVolumes).toEqual([{ name: 'opt-mesosphere', hostPath: '/etc', containerPath: 'host-volume-etc', mode: 'RO' }]);
    expect((await load('valid-external-volume.yml')).pods[0].externalVolumes).toEqual([
      { name: 'first-volume', type: 'DOCKER', volumeName: 'external-volume-name', volumeMode: 'RO', driverName: 'pxd', driverOptions: 'shared=true;size=10;', containerPath: 'external-volume-etc' },
    ]);
  });

  it('shared-resource-set.yml: tasks sharing a set share its resources', async () => {
    const pod = (await load('shared-resource-set.yml')).pods[0];
    expect(pod.tasks.map((t) => [t.name, t.resourceSet, t.cpus])).toEqual([['init', 'shared-resources', 1], ['server', 'shared-resources', 1]]);
    expect(pod.resourceSets.map((s) => s.id)).toEqual(['shared-resources']);
  });

  it('custom-phases.yml: every steps form and strategy', async () => {
    const [deploy] = (await load('custom-phases.yml')).plans;
    expect(deploy.phases.map((p) => [p.name, p.strategy, p.steps])).toEqual([
      ['server', 'parallel', [{ key: 'default', groups: [['server']] }]],
      ['once', 'parallel', [{ key: 'default', groups: [['once']] }]],
      ['interleave', 'serial', [{ key: 'default', groups: [['once'], ['server']] }]],
      ['parallel-tasks', 'serial', [{ key: 'default', groups: [['once', 'server']] }]],
      ['parallel-strategy', 'parallel', [{ key: 'default', groups: [['once', 'server']] }]],
      ['parallel-pods', 'parallel', [{ key: 'default', groups: [['once'], ['server']] }]],
      ['full-custom', 'serial', [{ key: '0', groups: [['once'], ['server']] }, { key: '1', groups: [['server'], ['once']] }, { key: '2', groups: [['server']] }]],
      ['partial-custom', 'serial', [{ key: '1', groups: [['once'], ['server']] }, { key: 'default', groups: [['server'], ['once']] }]],
    ]);
  });

  it('test-render.yml and test-render-inverted.yml: values and sections from the env', async () => {
    expect(task(await load('test-render.yml', { VOL_SIZE: '77' })).volumes[0].size).toBe(77);
    expect(task(await load('test-render-inverted.yml', { ENABLED: 'true' })).cmd).toBe('./enabled true');
    expect(task(await load('test-render-inverted.yml', { ENABLED: 'FALSE' })).cmd).toBe('./disabled false');
    expect(task(await load('test-render-inverted.yml', { ENABLED: '' })).cmd).toBe('./disabled');
  });
});

describe('helloworld variants, rendered from the hello-world package', () => {
  // Build-time placeholders of the package's resource.json (filled by the dcos-commons build).
  const buildVars = {
    'artifact-dir': 'https://downloads.example.com/hello-world/1.0',
    'scheduler-jre-url': 'https://downloads.example.com/jre.tar.gz',
    'libmesos-bundle-url': 'https://downloads.example.com/libmesos-bundle.tar.gz',
  };
  // PORT_API is set by Marathon from the app's port definition named "api".
  const runtimeEnv = { PORT_API: '8080' };
  let env: Record<string, string>;
  beforeAll(async () => {
    const pkg = await renderPackage(HELLOWORLD_PACKAGE, {}, { specFile: resolve(HELLOWORLD, 'svc.yml'), buildVars });
    env = { ...pkg.env, ...runtimeEnv };
  });

  // Rejected with the package defaults, for the reason given.
  const NEEDS_OPTIONS: Record<string, { missing: string[]; options: Record<string, Record<string, string>> }> = {
    // HELLO_VOLUME_PROFILE is only set when hello.volume_profile is non-empty.
    'pod-profile-mount-volume.yml': { missing: ['HELLO_VOLUME_PROFILE@L10', 'HELLO_VOLUME_PROFILE@L30', 'HELLO_VOLUME_PROFILE@L33', 'HELLO_VOLUME_PROFILE@L52'], options: { hello: { volume_profile: 'fast' } } },
    'profile-mount-volume.yml': { missing: ['HELLO_VOLUME_PROFILE@L22', 'HELLO_VOLUME_PROFILE@L25'], options: { hello: { volume_profile: 'fast' } } },
    // The secret paths default to empty, and a secret path is required.
    'secrets.yml': {
      missing: ['HELLO_SECRET1@L12', 'HELLO_SECRET2@L16', 'WORLD_SECRET1@L51', 'WORLD_SECRET2@L54', 'WORLD_SECRET3@L57'],
      options: { hello: { secret1: 'hw/s1', secret2: 'hw/s2' }, world: { secret1: 'w/s1', secret2: 'w/s2', secret3: 'w/s3' } },
    },
  };

  const files = ymls(HELLOWORLD);
  it.each(files.filter((f) => !(f in NEEDS_OPTIONS)))('%s renders and parses', async (file) => {
    expect(await issuesOfFile(resolve(HELLOWORLD, file), env)).toEqual([]);
  });

  it.each(Object.entries(NEEDS_OPTIONS))('%s needs package options: strict rendering names the missing values', async (file, { missing }) => {
    const issues = await issuesOfFile(resolve(HELLOWORLD, file), env);
    expect(issues[0]).toEqual({ path: '', message: expect.stringContaining(`[${missing.join(', ')}]`) });
  });

  it.each(Object.entries(NEEDS_OPTIONS))('%s parses once the options are given', async (file, { options }) => {
    const pkg = await renderPackage(HELLOWORLD_PACKAGE, options, { specFile: resolve(HELLOWORLD, file), buildVars });
    expect(await issuesOfFile(pkg.specFile, { ...pkg.env, ...runtimeEnv })).toEqual([]);
  });

  it('svc.yml means what the package defaults say', async () => {
    const spec = await loadServiceSpec(resolve(HELLOWORLD, 'svc.yml'), env);
    const [hello, world] = spec.pods;
    expect([spec.name, spec.scheduler]).toEqual(['hello-world', { principal: 'hello-world-principal', user: 'nobody', zookeeper: 'master.mesos:2181' }]);
    expect([hello.count, hello.placement, hello.constraints]).toEqual([1, '[["hostname", "UNIQUE"]]', [{ field: 'hostname', operator: 'UNIQUE' }]]);
    expect(hello.rlimits).toEqual([{ name: 'RLIMIT_NOFILE', soft: 128000, hard: 128000 }]);
    expect(hello.tasks[0]).toMatchObject({ name: 'server', goal: 'RUNNING', cpus: 0.1, memory: 252, env: { SLEEP_DURATION: '1000' }, labels: {} });
    expect([world.count, world.allowDecommission, world.tasks[0].volumes.map((v) => v.path), world.tasks[0].readinessCheck]).toEqual([
      2,
      true,
      ['world-container-path1', 'world-container-path2'],
      { cmd: expect.stringContaining('wc -c world-container-path2/output'), interval: 5, delay: 0, gracePeriod: 0, timeout: 10, maxConsecutiveFailures: 0 },
    ]);
  });

  it('tls.yml and multiport.yml get their uris from resource.json', async () => {
    const tls = await loadServiceSpec(resolve(HELLOWORLD, 'tls.yml'), env);
    expect(tls.pods[0].uris).toEqual(['https://downloads.example.com/jre.tar.gz', 'https://downloads.example.com/hello-world/1.0/bootstrap.zip']);
    expect(tls.pods[0].tasks[0].transportEncryption).toEqual([{ name: 'secure-tls-pod', type: 'TLS' }, { name: 'keystore', type: 'KEYSTORE' }]);
    const multiport = await loadServiceSpec(resolve(HELLOWORLD, 'multiport.yml'), env);
    expect(multiport.pods[0].tasks[0].ports.map((p) => [p.name, p.port])).toEqual([['port_one', 1729], ['port_two', 0]]);
  });

  it('gpu_resource.yml and graceful-shutdown.yml: unknown pod keys (container, user) are ignored', async () => {
    expect((await loadServiceSpec(resolve(HELLOWORLD, 'gpu_resource.yml'), env)).pods[0].tasks[0].gpus).toBe(1);
    expect((await loadServiceSpec(resolve(HELLOWORLD, 'graceful-shutdown.yml'), env)).pods[0].user).toBe('root');
  });

  it('non_recoverable_state.yml: FINISH loads as FINISHED', async () => {
    expect((await loadServiceSpec(resolve(HELLOWORLD, 'non_recoverable_state.yml'), env)).pods[0].tasks[0].goal).toBe('FINISHED');
  });
});

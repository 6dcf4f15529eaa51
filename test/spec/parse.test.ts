// What a valid spec means after parsing: defaults, derived values, and the mustache rendering.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServiceSpec, parsePlacement, parseServiceSpec, renderTemplate, SpecError } from '../../src/spec/index.js';
import { aSpec, issuesOf, parsed, SDK_TESTS, withPod, withTask, yamlOf } from './helpers.js';

describe('defaults', () => {
  it('fills every default of a minimal spec', () => {
    const spec = parsed(aSpec());
    expect(spec).toEqual({
      name: 'hello-world',
      scheduler: { principal: 'hello-world-principal', user: 'root', zookeeper: 'master.mesos:2181' },
      role: 'hello-world-role',
      plans: [],
      pods: [
        {
          name: 'hello',
          count: 2,
          constraints: [],
          allowDecommission: false,
          volumes: [],
          resourceSets: [{ id: 'server-resource-set', declared: false, cpus: 0.5, gpus: 0, memory: 256, ports: [], volumes: [] }],
          uris: [],
          networks: [],
          rlimits: [],
          secrets: [],
          user: 'root',
          sharePidNamespace: false,
          preReservedRole: '*',
          hostVolumes: [],
          externalVolumes: [],
          seccompUnconfined: false,
          tasks: [
            {
              name: 'server',
              goal: 'RUNNING',
              essential: true,
              cmd: './server',
              env: {},
              cpus: 0.5,
              gpus: 0,
              memory: 256,
              ports: [],
              volumes: [],
              resourceSet: 'server-resource-set',
              configs: [],
              killGracePeriod: 0,
              labels: {},
              transportEncryption: [],
            },
          ],
        },
      ],
    });
  });

  it('blank scheduler fields fall back to their defaults; the user applies to every pod', () => {
    const spec = parsed(aSpec({ scheduler: { principal: '', user: 'nobody', zookeeper: null } }));
    expect(spec.scheduler).toEqual({ principal: 'hello-world-principal', user: 'nobody', zookeeper: 'master.mesos:2181' });
    expect(spec.pods[0].user).toBe('nobody');
  });

  it('derives the role from a foldered name', () => {
    expect(parsed(aSpec({ name: '/team/db' })).role).toBe('team__db-role');
  });

  it('reads FINISH and FINISHED (any case) as FINISHED', () => {
    expect(parsed(withTask({ goal: 'finish' })).pods[0].tasks[0].goal).toBe('FINISHED');
    expect(parsed(withTask({ goal: 'FINISHED' })).pods[0].tasks[0].goal).toBe('FINISHED');
    expect(parsed(withTask({ goal: 'once' })).pods[0].tasks[0].goal).toBe('ONCE');
  });

  it('keeps env values as written and null as empty', () => {
    const text = yamlOf(aSpec()).replace('cmd: ./server', 'cmd: ./server\n        env:\n          A: 1.0\n          B:\n          C: "x y"');
    expect(parseServiceSpec(text).pods[0].tasks[0].env).toEqual({ A: '1.0', B: '', C: 'x y' });
  });

  it('accepts labels as a mapping too', () => {
    expect(parsed(withTask({ labels: { a: 'b:c' } })).pods[0].tasks[0].labels).toEqual({ a: 'b:c' });
  });

  it('gives a task the resources of its resource set', () => {
    const pod = parsed(
      withPod({
        'resource-sets': { rs: { cpus: 2, memory: 64, ports: { web: { port: 8080, 'env-key': 'PORT_WEB', advertise: true, vip: { port: 80 } } }, volume: { path: 'data', type: 'MOUNT', size: 10 } } },
        tasks: { server: { 'resource-set': 'rs', cpus: 99 } },
      }),
    ).pods[0];
    expect(pod.tasks[0]).toMatchObject({
      resourceSet: 'rs',
      cpus: 2,
      memory: 64,
      ports: [{ name: 'web', port: 8080, envKey: 'PORT_WEB', advertise: true, vip: { prefix: 'web', port: 80 }, ranges: [] }],
      volumes: [{ name: 'data', path: 'data', type: 'MOUNT', size: 10, profiles: [] }],
    });
    expect(pod.resourceSets.map((s) => [s.id, s.declared])).toEqual([['rs', true]]);
  });

  it('reads pod-level volumes, uris, networks and the rest of the pod fields', () => {
    const pod = parsed(
      withPod({
        volume: { path: 'shared', type: 'ROOT', size: 5 },
        uris: ['https://example.com/bootstrap.zip'],
        image: 'python:3.7',
        networks: { dcos: null },
        'share-pid-namespace': true,
        'pre-reserved-role': 'slave_public',
        'allow-decommission': true,
        'ipc-mode': 'private',
        'shm-size': 128,
        placement: 'hostname:UNIQUE',
      }),
    ).pods[0];
    expect(pod).toMatchObject({
      volumes: [{ name: 'shared', path: 'shared', type: 'ROOT', size: 5, profiles: [] }],
      uris: ['https://example.com/bootstrap.zip'],
      image: 'python:3.7',
      networks: [{ name: 'dcos', hostPorts: [], containerPorts: [], labels: {} }],
      sharePidNamespace: true,
      preReservedRole: 'slave_public',
      allowDecommission: true,
      ipcMode: 'PRIVATE',
      shmSize: 128,
      placement: 'hostname:UNIQUE',
      constraints: [{ field: 'hostname', operator: 'UNIQUE' }],
    });
  });

  it('reads plans in order, with default strategies, canary as serial-canary', () => {
    const spec = parsed(
      aSpec({
        plans: {
          deploy: { phases: { one: { pod: 'hello', strategy: 'canary' }, two: { pod: 'hello', strategy: 'parallel-canary', steps: [{ 0: [['server']] }, { default: [['server']] }] } } },
          update: { strategy: 'parallel', phases: { up: { pod: 'hello' } } },
        },
      }),
    );
    expect(spec.plans).toEqual([
      {
        name: 'deploy',
        strategy: 'serial',
        phases: [
          { name: 'one', strategy: 'serial-canary', pod: 'hello' },
          { name: 'two', strategy: 'parallel-canary', pod: 'hello', steps: [{ key: '0', groups: [['server']] }, { key: 'default', groups: [['server']] }] },
        ],
      },
      { name: 'update', strategy: 'parallel', phases: [{ name: 'up', strategy: 'serial', pod: 'hello' }] },
    ]);
  });

  it('keeps pod and task order as written, even for number-like names', () => {
    const text = 'name: x\npods:\n  "2":\n    count: 1\n    tasks:\n      b: {goal: ONCE, cmd: x, cpus: 1}\n      a: {goal: ONCE, cmd: x, cpus: 1}\n  "1":\n    count: 1\n    tasks:\n      t: {goal: ONCE, cmd: x, cpus: 1}\n';
    const spec = parseServiceSpec(text);
    expect(spec.pods.map((p) => [p.name, p.tasks.map((t) => t.name)])).toEqual([['2', ['b', 'a']], ['1', ['t']]]);
  });

  it('collects every issue, not the first', () => {
    expect(issuesOf(withTask({ cpus: 0, memory: -1, goal: 'X' })).map((i) => i.path)).toEqual([
      'pods.hello.tasks.server.cpus',
      'pods.hello.tasks.server.memory',
      'pods.hello.tasks.server.goal',
    ]);
  });

  it('throws a SpecError listing each issue with its path', () => {
    expect(() => parsed(withTask({ cpus: 0 }))).toThrowError(new SpecError([{ path: 'pods.hello.tasks.server.cpus', message: 'must be > 0' }]));
    expect(() => parsed(withTask({ cpus: 0 }))).toThrowError('invalid service spec svc.yml:\n- pods.hello.tasks.server.cpus: must be > 0');
  });
});

describe('rendering', () => {
  const spec = 'name: {{NAME}}\npods:\n  hello:\n    count: {{COUNT}}\n    tasks:\n      server: {goal: RUNNING, cmd: "{{{CMD}}}", cpus: 1}\n';

  it('renders values from the env', () => {
    expect(parseServiceSpec(spec, { NAME: 'svc', COUNT: '3', CMD: "echo 'hi' && sleep 1" }).pods[0]).toMatchObject({ count: 3, tasks: [{ cmd: "echo 'hi' && sleep 1" }] });
  });

  it('is strict by default: missing values are listed with their lines, and later issues still show', () => {
    expect(issuesOf(spec, { CMD: 'x' })).toEqual([
      { path: '', message: 'missing 2 values when rendering: [NAME@L1, COUNT@L4] (set them in the scheduler env, or render leniently)' },
      { path: 'name', message: 'is required' },
      { path: 'pods.hello.count', message: 'is required' },
    ]);
  });

  it('renders missing values empty when lenient', () => {
    expect(() => parseServiceSpec(spec, { NAME: 'svc', CMD: 'x' }, 'svc.yml', { lenient: true })).toThrowError('pods.hello.count: is required');
    expect(renderTemplate('a{{X}}b', {}, { lenient: true })).toBe('ab');
  });

  it('renderTemplate throws a SpecError naming the missing values', () => {
    expect(() => renderTemplate('a: {{A}}\nb: {{{B}}}\n', {}, { source: 'x.yml' })).toThrowError('invalid service spec x.yml:\n- missing 2 values when rendering: [A@L1, B@L2]');
  });

  it('HTML-escapes {{VAR}} as mustache.java does, keeping entity references; {{{VAR}}} is raw', () => {
    const env = { V: `a&b <c> "d" 'e' &amp; &#39;\nf` };
    expect(renderTemplate('{{V}}', env)).toBe('a&amp;b &lt;c&gt; &quot;d&quot; &#39;e&#39; &amp; &#39;&#10;f');
    expect(renderTemplate('{{{V}}}|{{&V}}', env)).toBe(`${env.V}|${env.V}`);
  });

  it('reads true/false in any case as booleans for sections, and prints them', () => {
    const t = '{{#F}}on{{/F}}{{^F}}off{{/F}} {{F}}';
    expect(renderTemplate(t, { F: 'TRUE' })).toBe('on true');
    expect(renderTemplate(t, { F: 'False' })).toBe('off false');
    expect(renderTemplate(t, { F: '' })).toBe('off ');
    expect(renderTemplate(t, { F: 'yes' })).toBe('on yes');
  });

  it('never reports section names, nor values inside sections that do not render', () => {
    expect(renderTemplate('{{#A}}{{B}}{{/A}}{{^C}}x{{/C}}', {})).toBe('x');
    expect(() => renderTemplate('{{#A}}{{B}}{{/A}}', { A: 'true' })).toThrowError('[B@L1]');
  });

  it('reports template syntax errors', () => {
    expect(issuesOf('name: {{#X}}\n')).toEqual([{ path: '', message: 'mustache: Unclosed section "X" at 13' }]);
  });
});

describe('placement', () => {
  it.each([
    ['', []],
    ['  ', []],
    ['[]', []],
    ['["hostname", "UNIQUE"]', [{ field: 'hostname', operator: 'UNIQUE' }]],
    ['[["@hostname", "unique"], ["rack_id", "LIKE", "rack-[1-3]"]]', [{ field: 'hostname', operator: 'UNIQUE' }, { field: 'rack_id', operator: 'LIKE', value: 'rack-[1-3]' }]],
    ['[["@zone", "GROUP_BY", 2]]', [{ field: '@zone', operator: 'GROUP_BY', value: '2' }]],
    ['[["@region", "GROUP_BY"]]', [{ field: '@region', operator: 'GROUP_BY' }]],
    ['hostname:UNIQUE, rack_id : LIKE : rack-[1-3]', [{ field: 'hostname', operator: 'UNIQUE' }, { field: 'rack_id', operator: 'LIKE', value: 'rack-[1-3]' }]],
    ['hostname:MAX_PER:2', [{ field: 'hostname', operator: 'MAX_PER', value: '2' }]],
    ['attr:IS:a\\:b\\,c', [{ field: 'attr', operator: 'IS', value: 'a:b,c' }]],
    ['[["hostname", "IS_NOT", "10.0.0.1"], ["zone", "CLUSTER", "a"], ["x", "UNLIKE", "y.*"]]', [{ field: 'hostname', operator: 'IS_NOT', value: '10.0.0.1' }, { field: 'zone', operator: 'CLUSTER', value: 'a' }, { field: 'x', operator: 'UNLIKE', value: 'y.*' }]],
  ])('%j parses', (text, constraints) => {
    expect(parsePlacement(text)).toEqual({ constraints });
  });

  it.each([
    ['[["hostname", "UNIQUE"]] x', 'invalid placement JSON: '],
    ['[{"a": 1}]', 'placement rule [{"a":1}] must be a list of strings'],
    ['{"a": 1}', 'unknown placement operator "1}"'],
    ['[["hostname"]]', 'placement rule ["hostname"] must have 2 or 3 entries: [field, OPERATOR, parameter?]'],
    ['[["hostname", "UNIQUE", "a", "b"]]', 'must have 2 or 3 entries'],
    ['[[1, {"a": 2}]]', 'placement rule [1,{"a":2}] must be a list of strings'],
    ['hostname:SPREAD', 'unknown placement operator "SPREAD"'],
    ['hostname:MAX_PER:0', 'placement rule ["hostname","MAX_PER","0"]: MAX_PER needs an integer >= 1'],
    ['hostname:MAX_PER', 'MAX_PER needs an integer >= 1'],
    ['@zone:GROUP_BY:many', 'GROUP_BY takes an optional integer >= 1'],
    ['rack:LIKE:[a-', 'invalid regular expression "[a-"'],
    ['rack:CLUSTER', 'CLUSTER needs a value'],
    [':UNIQUE', 'has an empty field'],
  ])('%j is rejected', (text, error) => {
    const result = parsePlacement(text);
    expect('error' in result && result.error).toContain(error);
  });
});

describe('config templates', () => {
  const spec = withTask({ configs: { conf: { template: 'conf.mustache', dest: 'etc/app.conf' } } });

  it('are left unread by parse unless their contents are given', () => {
    expect(parsed(spec).pods[0].tasks[0].configs).toEqual([{ name: 'conf', template: 'conf.mustache', dest: 'etc/app.conf' }]);
    const withContent = parseServiceSpec(yamlOf(spec), {}, 'svc.yml', { templates: { 'conf.mustache': 'port={{PORT}}' } });
    expect(withContent.pods[0].tasks[0].configs[0].content).toBe('port={{PORT}}');
  });

  it('must exist and not be empty', () => {
    const path = 'pods.hello.tasks.server.configs.conf.template';
    expect(() => parseServiceSpec(yamlOf(spec), {}, 'svc.yml', { templates: {} })).toThrowError(
      `${path}: template file "conf.mustache" not found (paths are relative to the spec's directory)`,
    );
    expect(() => parseServiceSpec(yamlOf(spec), {}, 'svc.yml', { templates: { 'conf.mustache': '' } })).toThrowError(`${path}: template file "conf.mustache" is empty`);
  });
});

describe('loadServiceSpec', () => {
  it('names a spec file it cannot read', async () => {
    await expect(loadServiceSpec('/nonexistent/svc.yml')).rejects.toThrowError('invalid service spec /nonexistent/svc.yml:\n- cannot read /nonexistent/svc.yml');
  });

  it('reads templates beside the spec, and reports their issues with the spec issues', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svc-spec-'));
    try {
      await mkdir(join(dir, 'tpl'));
      await writeFile(join(dir, 'tpl', 'a.conf'), 'a={{A}}');
      const configs = { a: { template: 'tpl/a.conf', dest: 'a.conf' }, b: { template: 'b.conf', dest: 'b.conf' } };
      await writeFile(join(dir, 'svc.yml'), yamlOf(withTask({ configs, cpus: 0 })));
      const e = await loadServiceSpec(join(dir, 'svc.yml')).catch((err: unknown) => err);
      expect((e as SpecError).issues.map((i) => i.path)).toEqual(['pods.hello.tasks.server.cpus', 'pods.hello.tasks.server.configs.b.template']);
      await writeFile(join(dir, 'svc.yml'), yamlOf(withTask({ configs: { a: configs.a } })));
      expect((await loadServiceSpec(join(dir, 'svc.yml'))).pods[0].tasks[0].configs[0].content).toBe('a={{A}}');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('renders leniently when asked', async () => {
    const spec = await loadServiceSpec(resolve(SDK_TESTS, 'test-render-inverted.yml'), {}, { lenient: true });
    expect(spec.pods[0].tasks[0].cmd).toBe('./disabled');
    await expect(loadServiceSpec(resolve(SDK_TESTS, 'test-render-inverted.yml'), {})).rejects.toThrowError('[ENABLED@L12]');
  });
});

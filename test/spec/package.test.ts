// A DC/OS package directory rendered as Cosmos does: options → marathon.json → scheduler env → spec.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PackageError, parseServiceSpec, renderPackage, SpecError } from '../../src/spec/index.js';
import { cosmosView, mergeOptions, renderMarathon, schemaDefaults } from '../../src/spec/package.js';
import { HELLOWORLD, HELLOWORLD_PACKAGE } from './helpers.js';

const SVC = resolve(HELLOWORLD, 'svc.yml');
const render = (options = {}, buildVars = {}) => renderPackage(HELLOWORLD_PACKAGE, options, { specFile: SVC, buildVars });

async function rejection(p: Promise<unknown>): Promise<SpecError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof SpecError)) throw new Error(`expected a SpecError, got ${String(e)}`);
  return e;
}

describe('the hello-world package', () => {
  it('renders the scheduler env from config.json defaults', async () => {
    const pkg = await render();
    expect(pkg.env).toMatchObject({
      FRAMEWORK_NAME: 'hello-world',
      FRAMEWORK_USER: 'nobody',
      FRAMEWORK_PRINCIPAL: '',
      HELLO_COUNT: '1',
      HELLO_CPUS: '0.1',
      HELLO_GPUS: '1',
      HELLO_PLACEMENT: '[["hostname", "UNIQUE"]]',
      WORLD_COUNT: '2',
      SLEEP_DURATION: '1000',
      TEST_BOOLEAN: 'true',
      ENABLE_ROLE_MIGRATION: 'false',
      // A 0 is truthy in a section, as in mustache.java.
      HELLO_KILL_GRACE_PERIOD: '0',
      FRAMEWORK_BACKOFF_FACTOR: '1.15',
      PACKAGE_NAME: 'hello-world',
    });
    // Sections over empty strings are skipped.
    expect(Object.keys(pkg.env)).not.toContain('SERVICE_REGION');
    expect(Object.keys(pkg.env)).not.toContain('HELLO_SECRET1');
    expect(pkg.options).toMatchObject({ service: { name: 'hello-world', sleep: 1000 }, hello: { count: 1, placement: '[["hostname", "UNIQUE"]]' } });
    expect(pkg.app).toMatchObject({ id: 'hello-world', constraints: [], user: 'nobody' });
    expect(pkg.specFile).toBe(SVC);
  });

  it('yields an env that svc.yml parses with', async () => {
    const pkg = await render({ hello: { count: 3 }, world: { count: 1 }, service: { name: 'hw2', user: 'root' } });
    const spec = parseServiceSpec(pkg.specText, pkg.env, pkg.specFile);
    expect([spec.name, spec.scheduler.user, spec.pods.map((p) => p.count)]).toEqual(['hw2', 'root', [3, 1]]);
  });

  it('merges user options into the defaults, deeply', async () => {
    const pkg = await render({ hello: { cpus: 2 }, service: { region: 'us-west', constraints: [['hostname', 'UNIQUE']] } });
    expect(pkg.env).toMatchObject({ HELLO_CPUS: '2', HELLO_MEM: '252', SERVICE_REGION: 'us-west' });
    expect(pkg.app.constraints).toEqual([['hostname', 'UNIQUE']]);
  });

  it('JSON-escapes option strings, in {{x}} and {{{x}}} alike', async () => {
    const placement = '[["rack", "LIKE", "r\\\\d+"]]';
    const pkg = await render({ hello: { placement, labels: 'a:"b"' } });
    expect(pkg.env.HELLO_PLACEMENT).toBe(placement);
    expect(pkg.env.HELLO_LABELS).toBe('a:"b"');
  });

  it('substitutes build-time placeholders', async () => {
    const pkg = await render({}, { 'package-version': '1.2.3', 'artifact-dir': 'https://dl.example/hw' });
    expect(pkg.env).toMatchObject({ PACKAGE_VERSION: '1.2.3', TASKCFG_ALL_PACKAGE_VERSION_TO_FORCE_UPDATE: '1.2.3', BOOTSTRAP_URI: 'https://dl.example/hw/bootstrap.zip' });
  });

  it('rejects options the schema forbids, naming each JSON pointer', async () => {
    const e = await rejection(render({ hello: { count: 'three' }, service: { log_level: 'LOUD' }, world: { readiness_check: { interval: 1 } } }));
    expect(e).toBeInstanceOf(PackageError);
    expect(e.issues).toEqual([
      { path: '/service/log_level', message: 'must be equal to one of the allowed values: "OFF", "FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE", "ALL"' },
      { path: '/hello/count', message: 'must be integer' },
      { path: '/world/readiness_check/interval', message: 'must be >= 5' },
    ]);
    expect(e.message).toContain('/hello/count: must be integer');
  });

  it('looks for svc.yml in the package by default', async () => {
    const e = await rejection(renderPackage(HELLOWORLD_PACKAGE));
    expect(e.issues).toEqual([{ path: resolve(HELLOWORLD_PACKAGE, 'svc.yml'), message: 'cannot read the service spec (pass the spec file explicitly)' }]);
  });
});

describe('package directories', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'svc-pkg-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => writeFile(join(dir, name), text);

  it('uses <dir>/svc.yml, and works without config.json or resource.json', async () => {
    await write('marathon.json.mustache', '{"env": {"A": "{{missing}}x", "N": 3, "O": {"secret": "s"}}}');
    await write('svc.yml', 'name: x\n');
    const pkg = await renderPackage(dir);
    expect(pkg).toMatchObject({ env: { A: 'x', N: '3' }, specText: 'name: x\n', specFile: join(dir, 'svc.yml'), options: {} });
  });

  it('refuses options when the package has no config.json', async () => {
    await write('marathon.json.mustache', '{}');
    expect((await rejection(renderPackage(dir, { a: 1 }))).issues).toEqual([{ path: '/', message: 'this package takes no options (no config.json)' }]);
  });

  it('needs marathon.json.mustache', async () => {
    expect((await rejection(renderPackage(dir))).issues).toEqual([{ path: 'marathon.json.mustache', message: 'is missing' }]);
  });

  it('reports a template that does not render to a JSON object', async () => {
    await write('marathon.json.mustache', '{"id": {{a}}');
    expect((await rejection(renderPackage(dir))).issues[0].message).toMatch(/^does not render to JSON: /);
    await write('marathon.json.mustache', '[1]');
    expect((await rejection(renderPackage(dir))).issues).toEqual([{ path: 'marathon.json.mustache', message: 'must render to a JSON object' }]);
  });

  it('reports broken JSON files by name', async () => {
    await write('config.json', '{nope');
    expect((await rejection(renderPackage(dir))).issues[0]).toEqual({ path: 'config.json', message: expect.stringMatching(/^is not valid JSON: /) });
  });
});

describe('cosmos rendering pieces', () => {
  it('extracts defaults, recursing into objects without a default', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'object', properties: { b: { default: 1 }, c: { type: 'string' }, d: { type: 'object', properties: { e: { default: 'x' } } } } },
        f: { type: 'object', default: { g: true }, properties: { h: { default: 2 } } },
      },
    };
    expect(schemaDefaults(schema)).toEqual({ a: { b: 1, d: { e: 'x' } }, f: { g: true } });
  });

  it('merges objects key by key; other values are replaced', () => {
    expect(mergeOptions({ a: { b: 1, c: [1] }, d: 1 }, { a: { c: [2] }, d: { e: 1 } })).toEqual({ a: { b: 1, c: [2] }, d: { e: 1 } });
  });

  it('renders strings JSON-escaped, numbers as text, arrays as JSON', () => {
    expect(cosmosView({ s: 'a"b\\c\n', n: 1.5, i: 1.0, b: false, z: null })).toEqual({ s: 'a\\"b\\\\c\\n', n: '1.5', i: '1', b: false, z: null });
    expect(renderMarathon('{"s": "{{{s}}}", "l": {{l}}, "e": {{e}}, "t": "{{#l}}{{.}}{{/l}}"}', { s: 'q"q', l: ['x', 'y'], e: [] })).toEqual({ s: 'q"q', l: ['x', 'y'], e: [], t: 'xy' });
  });
});

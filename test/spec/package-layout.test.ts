// Packages as published: the upstream layout found without flags, build placeholders named with
// how to fill them, and pod-level shm-size refused by the local engine rather than dropped.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unsupportedFields } from '../../src/engine/local/support.js';
import { findPackage, PackageError, renderPackage } from '../../src/spec/index.js';
import { resolveSource } from '../../src/launcher/launcher.js';
import { SDK_TESTS as CORPUS, HELLOWORLD, HELLOWORLD_PACKAGE, parsed, withPod } from './helpers.js';
import { hostIsolationMissing } from '../../src/engine/local/runtime-check.js';

const tmp = mkdtempSync(join(tmpdir(), 'svc-layout-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The upstream framework layout: universe/ beside src/main/dist/<spec>. */
function framework(spec: string): string {
  const root = mkdtempSync(join(tmp, 'fw-'));
  cpSync(HELLOWORLD_PACKAGE, join(root, 'universe'), { recursive: true });
  mkdirSync(join(root, 'src/main/dist'), { recursive: true });
  cpSync(join(HELLOWORLD, spec), join(root, 'src/main/dist/svc.yml'));
  return root;
}

describe('package layout', () => {
  it('finds universe/ and src/main/dist/svc.yml from the framework folder or from universe/', () => {
    const root = framework('svc.yml');
    expect(findPackage(root)).toEqual({ dir: join(root, 'universe'), specFile: join(root, 'src/main/dist/svc.yml') });
    expect(findPackage(join(root, 'universe'))).toEqual({ dir: join(root, 'universe'), specFile: join(root, 'universe', '..', 'src/main/dist/svc.yml') });
    expect(findPackage(CORPUS)).toBeUndefined();
  });

  it('installs from the framework folder as it is published', async () => {
    const { spec, source } = await resolveSource(framework('svc.yml'), undefined, undefined, {});
    expect(spec.name).toBe('hello-world');
    expect(source.kind).toBe('package');
  });
});

describe("the scheduler's Marathon port variables", () => {
  it('render the web-url variant: PORT_API is the API port, as Marathon named the package\'s port', async () => {
    const { spec, schedulerEnv } = await resolveSource(HELLOWORLD_PACKAGE, {}, join(HELLOWORLD, 'web-url.yml'), {}, undefined, 4321);
    expect(spec.webUrl).toBe('http://hello-world.marathon.mesos:4321');
    expect(schedulerEnv).toMatchObject({ PORT0: '4321', PORT_API: '4321', PORTS: '4321' });
  });

  it('give a plain spec PORT0 and PORT_API, and keep only the shell env the scheduler reads', async () => {
    const file = join(tmp, 'plain.yml');
    writeFileSync(file, 'name: plain\nweb-url: http://localhost:{{PORT0}}\npods:\n  p:\n    count: 1\n    tasks:\n      t: { goal: RUNNING, cmd: "true", cpus: 0.1, memory: 32 }\n');
    const { spec, schedulerEnv } = await resolveSource(file, undefined, undefined, { SECRET_TOKEN: 'x', TASKCFG_ALL_A: '1', SERVICE_TLD: 'example.org' }, undefined, 5555);
    expect(spec.webUrl).toBe('http://localhost:5555');
    expect(spec.pods[0].tasks[0].env).toEqual({ A: '1' });
    expect(schedulerEnv).toEqual({ TASKCFG_ALL_A: '1', SERVICE_TLD: 'example.org', PORT0: '5555', PORT_API: '5555', PORTS: '5555', PORT: '5555' });
  });
});

describe('build placeholders', () => {
  // a spec fetching {{BOOTSTRAP_URI}} (as custom_tld.yml does), which resource.json builds from {{artifact-dir}}
  it('names the unfilled placeholders a spec uses, where they come from, and the flags that fill them', async () => {
    const root = framework('svc.yml');
    writeFileSync(join(root, 'src/main/dist/svc.yml'), 'name: {{FRAMEWORK_NAME}}\npods:\n  hello:\n    count: 1\n    uris:\n      - {{BOOTSTRAP_URI}}\n    tasks:\n      server: { goal: RUNNING, cmd: "true", cpus: 0.1, memory: 32 }\n');
    const err = await renderPackage(join(root, 'universe'), {}, { specFile: join(root, 'src/main/dist/svc.yml') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageError);
    const message = (err as PackageError).message;
    expect(message).toContain('BOOTSTRAP_URI ("{{artifact-dir}}/bootstrap.zip")');
    expect(message).toContain('this package is a build template');
    expect(message).toContain('--build-var artifact-dir=<url>');
    expect(message).not.toContain('YAML');
    // filled, it renders
    const ok = await renderPackage(join(root, 'universe'), {}, { specFile: join(root, 'src/main/dist/svc.yml'), buildVars: { 'artifact-dir': 'https://example.org/a' } });
    expect(ok.env.BOOTSTRAP_URI).toBe('https://example.org/a/bootstrap.zip');
  });

  it('lets a spec that uses no such value through', async () => {
    await expect(renderPackage(HELLOWORLD_PACKAGE, {}, { specFile: join(HELLOWORLD, 'svc.yml') })).resolves.toBeDefined();
  });
});

describe('pod-level shm-size', () => {
  it('is applied where the machine can give a task a private /dev/shm, else refused naming the field', () => {
    const spec = parsed(withPod({ 'ipc-mode': 'PRIVATE', 'shm-size': 128 }));
    const why = hostIsolationMissing();
    expect(unsupportedFields(spec)).toEqual(why ? [{ path: 'pods.hello.shm-size', message: `not supported by the local engine: ${why}` }] : []);
  });
});

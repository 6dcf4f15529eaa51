// `svc secret` and `svc tls` in-process: argv → options, then run(opts, deps) over a real store in
// a temp folder (no scheduler involved).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, run, testDeps } from '../cli/helpers.js';
import { run as create } from '../../src/cli/commands/secret/create.js';

const dirs: string[] = [];
function setup() {
  const root = mkdtempSync(join(tmpdir(), 'svc-secret-cli-'));
  dirs.push(root);
  const svcHome = join(root, 'home');
  return { root, svcHome, env: { SVC_SECRET_KEY_FILE: join(root, 'key', 'secret.key') } };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('argv → options', () => {
  it.each([
    [['secret', 'create', 'hello-world/a', '--value', 'v'], 'secret create', ['hello-world/a'], { value: 'v' }],
    [['secret', 'create', 'hello-world/a', '--file', 'f.txt'], 'secret create', ['hello-world/a'], { file: 'f.txt' }],
    [['secret', 'update', 'hello-world/a', '--value', 'v'], 'secret update', ['hello-world/a'], { value: 'v' }],
    [['secret', 'list'], 'secret list', [''], {}],
    [['secret', 'list', 'hello-world/', '--json'], 'secret list', ['hello-world/'], { json: true }],
    [['secret', 'get', 'hello-world/a'], 'secret get', ['hello-world/a'], {}],
    [['secret', 'delete', 'hello-world/a'], 'secret delete', ['hello-world/a'], {}],
    [['tls', 'ca'], 'tls ca', [], {}],
  ])('%j', async (argv, command, args, opts) => {
    const p = await parse(argv as string[]);
    expect(p.command).toBe(command);
    expect(p.args).toEqual(args);
    expect(p.opts).toMatchObject(opts);
  });
});

describe('run', () => {
  it('create, list, get, update, delete over a real store', async () => {
    const { svcHome, env } = setup();
    const o = { svcHome, env };
    expect((await run(['secret', 'create', 'hello-world/a', '--value', 's3cr3t'], o)).code).toBe(0);
    expect((await run(['secret', 'create', 'hello-world/a', '--value', 'x'], o)).stderr).toBe('svc: secret hello-world/a already exists; change it with: svc secret update hello-world/a\n');
    expect((await run(['secret', 'list'], o)).stdout).toBe('hello-world/a\n');
    expect((await run(['secret', 'list', '--json'], o)).stdout).toBe('[\n  "hello-world/a"\n]\n');
    expect((await run(['secret', 'get', 'hello-world/a'], o)).stdout).toBe('s3cr3t');
    expect((await run(['secret', 'update', 'hello-world/a', '--value', 'new'], o)).code).toBe(0);
    expect((await run(['secret', 'get', 'hello-world/a'], o)).stdout).toBe('new');
    expect((await run(['secret', 'delete', 'hello-world/a'], o)).code).toBe(0);
    const gone = await run(['secret', 'get', 'hello-world/a'], o);
    expect([gone.code, gone.stderr]).toEqual([1, 'svc: no secret hello-world/a; create it with: svc secret create hello-world/a\n']);
  });

  it('reads the value from --file or from stdin, and refuses both --value and --file', async () => {
    const { root, svcHome, env } = setup();
    writeFileSync(join(root, 'v.bin'), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect((await run(['secret', 'create', 'svc/bin', '--file', join(root, 'v.bin')], { svcHome, env })).code).toBe(0);
    const t = testDeps({ svcHome, env });
    await create({ path: 'svc/piped', value: undefined }, t.deps, async () => Buffer.from('from stdin'));
    expect((await run(['secret', 'get', 'svc/piped'], { svcHome, env })).stdout).toBe('from stdin');
    await expect(create({ path: 'svc/empty' }, t.deps, async () => Buffer.alloc(0))).rejects.toThrow(/nothing on stdin/);
    const both = await run(['secret', 'create', 'svc/x', '--value', 'a', '--file', 'b'], { svcHome, env });
    expect([both.code, both.stderr]).toEqual([2, 'svc: give either --value or --file, not both\n']);
    const missing = await run(['secret', 'create', 'svc/x', '--file', join(root, 'nope')], { svcHome, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it.each(['../up', '/abs', 'a/./b', 'a/'])('refuses the hostile path %j with a usage error', async (p) => {
    const { svcHome, env } = setup();
    const r = await run(['secret', 'create', p, '--value', 'x'], { svcHome, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^svc: secret path /);
  });

  it('svc tls ca creates the CA once and prints the same certificate after', async () => {
    const { svcHome, env } = setup();
    const first = await run(['tls', 'ca'], { svcHome, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect((await run(['tls', 'ca'], { svcHome, env: {} })).stdout).toBe(first.stdout); // printing needs no key
  });
});

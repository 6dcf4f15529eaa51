// `svc spec validate | show`: a spec read as install reads it, with nothing installed.
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runSvc, tempHome } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);

describe('svc spec', () => {
  afterAll(() => t.cleanup());

  it('validate summarizes a valid spec or package', async () => {
    expect(await svc('spec', 'validate', 'examples/memcache')).toMatchObject({
      code: 0,
      stdout: 'examples/memcache: valid\nservice memcache: 1 pod type(s)\n  cache: 3 × [server, flush]\nplans: deploy, flush-all-serial, flush-all-parallel\n',
    });
    expect((await svc('spec', 'validate', 'examples/memcache/package')).stdout).toContain('service memcache: 1 pod type(s)');
  });

  it('validate names every problem with its YAML path, and what this machine cannot run', async () => {
    const bad = await svc('spec', 'validate', 'test/fixtures/bad-cpus.yml');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('- pods.hello.tasks.server.cpus: must be > 0\n- pods.hello.tasks.server.goal: is required');
  });

  it('validate: a spec valid in the spec language is valid (exit 0), with what the engine cannot run listed apart', async () => {
    const unsupported = await svc('spec', 'validate', 'test/fixtures/unsupported.yml');
    expect(unsupported.code, unsupported.stderr).toBe(0);
    expect(unsupported.stdout).toMatch(/^test\/fixtures\/unsupported.yml: valid\n/);
    expect(unsupported.stdout).toContain(
      'the local engine cannot run (svc install would refuse it):\n- pods.web.seccomp-profile-name: not supported by the local engine: seccomp profiles need `image:` (tasks without one are host processes)\n- pods.web.tasks.server.gpus: not supported by the local engine: GPUs\n',
    );
    const json = JSON.parse((await svc('spec', 'validate', 'test/fixtures/unsupported.yml', '--json')).stdout) as { valid: boolean; engine: string; unsupported: Array<{ path: string }> };
    expect(json).toMatchObject({ valid: true, engine: 'local' });
    expect(json.unsupported.map((u) => u.path)).toEqual(['pods.web.seccomp-profile-name', 'pods.web.tasks.server.gpus']);
    // install still refuses it, naming the same fields
    expect((await svc('install', 'test/fixtures/unsupported.yml')).stderr).toContain('- pods.web.tasks.server.gpus: not supported by the local engine: GPUs');
    const other = await svc('spec', 'validate', 'test/fixtures/unsupported.yml', '--engine', 'nomad');
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('nomad');
  });

  it('show prints the resolved spec, package options applied, and installs nothing', async () => {
    const shown = JSON.parse((await svc('spec', 'show', 'examples/hello-world')).stdout) as { name: string; pods: Array<{ name: string; count: number }> };
    expect([shown.name, shown.pods.map((p) => [p.name, p.count])]).toEqual(['hello-world', [['hello', 2]]]);
    expect(readdirSync(t.home)).toEqual([]);
  });
});

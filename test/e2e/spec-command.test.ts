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
    const unsupported = await svc('spec', 'validate', 'test/fixtures/unsupported.yml');
    expect(unsupported.code).toBe(2);
    expect(unsupported.stderr).toContain('- pods.web.seccomp-profile-name: not supported by the local engine');
  });

  it('show prints the resolved spec, package options applied, and installs nothing', async () => {
    const shown = JSON.parse((await svc('spec', 'show', 'examples/hello-world')).stdout) as { name: string; pods: Array<{ name: string; count: number }> };
    expect([shown.name, shown.pods.map((p) => [p.name, p.count])]).toEqual(['hello-world', [['hello', 2]]]);
    expect(readdirSync(t.home)).toEqual([]);
  });
});

// Bad input at the front door: one clear line on stderr, a non-zero exit code, nothing changed.
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runSvc, tempHome } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
afterAll(() => t.cleanup());

const entries = () => readdirSync(t.home);

describe('bad input', () => {
  it('an unknown spec file is a usage error naming it', async () => {
    const r = await svc('install', 'no/such/svc.yml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('svc: no such spec file or folder: no/such/svc.yml\n');
    expect(entries()).toEqual([]);
  });

  it('invalid YAML is a usage error', async () => {
    const r = await svc('install', 'test/fixtures/invalid-yaml.yml');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^svc: invalid service spec .*invalid-yaml\.yml/);
    expect(entries()).toEqual([]);
  });

  it('an invalid field is reported with its YAML path', async () => {
    const r = await svc('install', 'test/fixtures/bad-cpus.yml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pods.hello.tasks.server.cpus: must be > 0');
    expect(entries()).toEqual([]);
  });

  it('uninstall of an unknown service exits 3', async () => {
    const r = await svc('uninstall', 'nope', '--yes');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('svc: service "nope" is not installed\n');
  });

  it('commands with no service installed exit 3 with a hint', async () => {
    const r = await svc('plan', 'show', 'deploy');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`svc: no service is installed in $SVC_HOME (${t.home}); install one with: svc install <svc.yml>\n`);
  });

  it('an unknown command is a usage error', async () => {
    const r = await svc('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  describe('with hello-world installed', () => {
    it('refuses a second install, uninstall without --yes off a TTY, and unknown plans', async () => {
      expect((await svc('install', 'examples/hello-world', '--no-wait')).code).toBe(0);
      const before = entries();
      const again = await svc('install', 'examples/hello-world');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^svc: service "hello-world" is already installed/);
      expect(entries()).toEqual(before);

      const noYes = await svc('uninstall', 'hello-world');
      expect(noYes.code).toBe(2);
      expect(noYes.stderr).toBe('svc: refusing to uninstall hello-world without --yes when not running interactively\n');

      const unknownPlan = await svc('plan', 'show', 'nope');
      expect(unknownPlan.code).toBe(1);
      expect(unknownPlan.stderr).toBe('svc: plan "nope" not found; plans: deploy, recovery\n');

      expect((await svc('uninstall', 'hello-world', '--yes')).code).toBe(0);
      expect(entries()).toEqual([]);
    });
  });
});

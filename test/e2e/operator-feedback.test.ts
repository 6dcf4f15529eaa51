// A crash-looping service does not look healthy: install warns, `svc services` says FAILING,
// pod status / task list / describe show the exit code and the restarts. Install refuses what can
// never be placed. Resume of a pod that is not paused leaves it running. Real processes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainProcess, runSvc, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const specs = mkdtempSync(join(tmpdir(), 'svc-feedback-'));
const svc = (...args: string[]) => runSvc(args, t.env);

// `ok` runs; `crash` exits 3 as soon as it starts, for ever (its deploy step completes once it runs)
const crashSpec = `name: crashy
pods:
  ok:
    count: 1
    tasks:
      server: { goal: RUNNING, cmd: sleep 1000, cpus: 0.1, memory: 32 }
  crash:
    count: 1
    tasks:
      server: { goal: RUNNING, cmd: 'exit 3', cpus: 0.1, memory: 32 }
  after:
    count: 2
    tasks:
      server: { goal: RUNNING, cmd: sleep 1000, cpus: 0.1, memory: 32 }
`;

describe('operator feedback on a real service', () => {
  beforeAll(() => {
    writeFileSync(join(specs, 'crashy.yml'), crashSpec);
    writeFileSync(join(specs, 'unique.yml'), 'name: too-many\npods:\n  cache:\n    count: 4\n    placement: \'[["hostname", "UNIQUE"]]\'\n    tasks:\n      server: { goal: RUNNING, cmd: sleep 1000, cpus: 0.1, memory: 32 }\n');
    writeFileSync(join(specs, 'big.yml'), 'name: too-big\npods:\n  cache:\n    count: 1\n    tasks:\n      server: { goal: RUNNING, cmd: sleep 1000, cpus: 0.1, memory: 100000 }\n');
  });
  afterAll(async () => {
    await svc('uninstall', 'crashy', '--yes');
    rmSync(specs, { recursive: true, force: true });
    t.cleanup();
  });

  it('install refuses a pod that can never be placed, and installs nothing', async () => {
    const unique = await svc('install', join(specs, 'unique.yml'));
    expect(unique.code).toBe(1);
    expect(unique.stderr).toContain('svc: refusing to install: its deploy could never complete\n  pod cache wants 4 instances but hostname:UNIQUE allows 3 on 3 agents');
    const big = await svc('install', join(specs, 'big.yml'), '--agents', '2');
    expect(big.code).toBe(1);
    expect(big.stderr).toContain('pod cache needs 0.1 cpus, 100000 MB memory and 0 MB disk per instance, more than any agent has');
    expect((await svc('services', '--json')).stdout).toBe('[]\n');
    // with agents that can hold it, the check lets it through (not installed here: --agent-mem only)
  });

  it('a crash loop: install warns, services says FAILING, pod status, task list and describe say why', async () => {
    const install = await svc('install', join(specs, 'crashy.yml'));
    expect(install.code).toBe(0);
    expect(install.stderr).toMatch(/svc: warning: task crash-0-server failed meanwhile \((last failed: )?exited with code 3, \d+ restarts?\); see: svc task log crash-0-server --stderr/);

    await waitFor('services to say FAILING', async () => (await svc('services')).stdout.match(/crashy\s+FAILING/), 30_000, 200);
    const status = await waitFor('a failed status with its restarts', async () => {
      const out = (await svc('pod', 'status')).stdout;
      // without a launch backoff (the default) the task is relaunched at once: down, or up again with its last failure
      return /crash-0-server \((FAILED\) |[A-Z_]+\) last failed: )exited with code 3, [2-9]\d* restarts/.test(out) && out;
    }, 30_000, 200);
    expect(status).toContain('ok-0-server (RUNNING)\n');
    const list = (await svc('task', 'list')).stdout;
    expect(list).toMatch(/^NAME\s+STATUS\s+RESTARTS\s+REASON\s+POD\s+ID$/m);
    expect(list).toMatch(/^ok-0-server\s+RUNNING\s+0\s+-\s+ok-0/m);
    expect((await svc('describe')).stdout).toMatch(/failures\s+crash-0-server: (last failed: )?exited with code 3, \d+ restarts? \(svc task log crash-0-server --stderr\)/);
    // svc's GET /v1/tasks answers only with the service token, as every path
    const [{ url }] = JSON.parse((await svc('services', '--json')).stdout) as Array<{ url: string }>;
    expect((await fetch(`${url}/v1/tasks`)).status).toBe(401);
    expect((await fetch(`${url}/v1/tasks`, { headers: { authorization: 'token=forged' } })).status).toBe(401);
    // the original's JSON is unchanged
    // (a task relaunched a moment ago has no status yet, and no status field, as in the original)
    const task = await waitFor('crash-0-server with a status', async () => JSON.parse((await svc('pod', 'status', 'crash-0', '--json')).stdout).tasks.find((t: { status?: string }) => t.status), 30_000, 100);
    expect(task).toEqual({ id: expect.any(String), name: 'crash-0-server', status: expect.any(String) });
  });

  it('resume of a pod that is not paused leaves it running', async () => {
    const before = mainProcess(t.home, 'ok-0-server');
    expect(before).toBeDefined();
    const r = await svc('pod', 'resume', 'ok-0');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('svc: ok-0 is not paused; nothing to resume (--force relaunches anyway)\n');
    expect(mainProcess(t.home, 'ok-0-server')?.pid).toBe(before?.pid);
  });
});

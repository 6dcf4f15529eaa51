// Scaling out and in (decommission), crash-loop backoff shown in the recovery plan, and the API's
// bind address.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorHosts, mainProcess, pidAlive, runSvc, taskProcesses, tempHome, waitFor } from './helpers.js';

const t = tempHome();
// backoff on (off by default, as in the original): 1 s after a failure, doubling
const env = { ...t.env, SVC_EXECUTOR_IDLE_EXIT_MS: '500', ENABLE_BACKOFF: 'true', FRAMEWORK_INITIAL_BACKOFF: '1', FRAMEWORK_BACKOFF_FACTOR: '2' };
const svc = (...args: string[]) => runSvc(args, env);
const spec = join(t.home, 'lifecycle.yml');
const dir = join(t.home, 'lifecycle');
const setCount = (n: number) => writeFileSync(spec, readFileSync(spec, 'utf8').replace(/count: \d+/, `count: ${n}`));
const pods = async () => JSON.parse((await svc('pod', 'list')).stdout) as string[];
const reservations = () => JSON.parse(readFileSync(join(dir, 'reservations.json'), 'utf8')) as Array<{ podInstance: string; agentId: string }>;
const hostAgents = () => executorHosts(t.home).map((h) => h.agent).sort();
const usedAgents = () => [...new Set(reservations().map((r) => r.agentId))].sort();

describe('service lifecycle', () => {
  beforeAll(async () => {
    copyFileSync('test/fixtures/lifecycle.yml', spec);
    expect((await svc('install', spec)).code).toBe(0);
  });
  afterAll(async () => {
    await svc('uninstall', 'lifecycle', '--yes');
    t.cleanup();
  });

  it('runs one executor host per agent in use: a host started ahead of the deploy on an agent that got no pod exits', async () => {
    expect(usedAgents()).toHaveLength(2); // 2 instances on 3 agents
    await waitFor('idle host gone', () => JSON.stringify(hostAgents()) === JSON.stringify(usedAgents()), 10_000);
  });

  it('scales out: new instances deploy, existing ones keep running', async () => {
    const servers = (n: number) => Array.from({ length: n }, (_, i) => mainProcess(t.home, `web-${i}-server`)?.pid);
    const before = servers(2);
    setCount(4);
    expect((await svc('update', 'start', '--wait')).code).toBe(0);
    expect(await pods()).toEqual(['web-0', 'web-1', 'web-2', 'web-3']);
    const after = servers(4);
    expect(after.every((pid) => pid !== undefined)).toBe(true);
    expect(after.slice(0, 2)).toEqual(before); // untouched: their pod spec did not change
  });

  it('scales in with allow-decommission: the highest instances are killed, unreserved and forgotten', async () => {
    setCount(2);
    expect((await svc('update', 'start')).code).toBe(0);
    await waitFor('decommissioned', async () => JSON.stringify(await pods()) === '["web-0","web-1"]', 30_000);
    // the finished plan stays answerable until the next update, so automation waiting for COMPLETE sees it
    await waitFor('plan COMPLETE', async () => JSON.parse((await svc('plan', 'show', 'decommission', '--json')).stdout || '{}').status === 'COMPLETE');
    expect(reservations().map((r) => r.podInstance).sort()).toEqual(['web-0', 'web-1']);
    expect([...new Set(taskProcesses(t.home).map((p) => p.env.TASK_NAME))].sort()).toEqual(['web-0-server', 'web-1-server']);
    // an agent's host exits with its last pod instance
    await waitFor('hosts of emptied agents gone', () => JSON.stringify(hostAgents()) === JSON.stringify(usedAgents()), 10_000);
  });

  it('backs off a crash loop and shows it DELAYED in the recovery plan', async () => {
    const crashedAt = Date.now();
    await svc('task', 'exec', 'web-0-server', 'touch', 'data/crash');
    const delayed = await waitFor('DELAYED', async () => {
      const r = await svc('plan', 'show', 'recovery');
      return /web-0:\[server\] \(DELAYED\)/.test(r.stdout) && r.stdout;
    }, 20_000);
    expect(delayed).toContain('recovery (parallel strategy) (');
    // the loop goes on with backoff: relaunches at +1 s, +2 s, +4 s ...
    const launchesSinceCrash = () =>
      readFileSync(join(dir, 'scheduler.log'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('launching web-0:[server]') && Date.parse(l.slice(0, 24)) >= crashedAt)
        .map((l) => Date.parse(l.slice(0, 24)));
    const launches = await waitFor('three launches', () => launchesSinceCrash().length >= 3 && launchesSinceCrash(), 20_000);
    const gaps = launches.slice(1).map((x, k) => x - launches[k]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900); // not a tight loop
    expect(existsSync(join(dir, 'state', 'state.json'))).toBe(true);
  });
});

describe('an agent that disappears', () => {
  const a = tempHome();
  const asvc = (...args: string[]) => runSvc(args, a.env);
  const adir = join(a.home, 'hello-world');
  afterAll(async () => {
    await asvc('uninstall', 'hello-world', '--yes');
    a.cleanup();
  });

  it('has its pod instances replaced on the agents that remain', async () => {
    expect((await asvc('install', 'examples/hello-world', '--agents', '3')).code).toBe(0);
    const res = JSON.parse(readFileSync(join(adir, 'reservations.json'), 'utf8')) as Array<{ podInstance: string; agentId: string }>;
    const gone = res.find((r) => r.podInstance === 'hello-1')?.agentId as string;
    const old = mainProcess(a.home, 'hello-1-server')?.pid as number;
    // the machine lost that agent: it leaves the agent list, and the scheduler restarts
    const agentsFile = join(adir, 'agents.json');
    writeFileSync(agentsFile, JSON.stringify((JSON.parse(readFileSync(agentsFile, 'utf8')) as Array<{ id: string }>).filter((x) => x.id !== gone)));
    process.kill(Number(readFileSync(join(adir, 'scheduler.pid'), 'utf8')), 'SIGKILL');
    await waitFor('replaced elsewhere', () => {
      const now = JSON.parse(readFileSync(join(adir, 'reservations.json'), 'utf8')) as Array<{ podInstance: string; agentId: string }>;
      const r = now.find((x) => x.podInstance === 'hello-1');
      return r && r.agentId !== gone && mainProcess(a.home, 'hello-1-server')?.pid !== old && mainProcess(a.home, 'hello-1-server');
    }, 30_000);
    expect(pidAlive(old)).toBe(false);
    expect(readFileSync(join(adir, 'scheduler.log'), 'utf8')).toContain(`agent ${gone} of hello-1 is gone: replacing hello-1`);
  });
});

describe('the permanent-failure timeout', () => {
  const f = tempHome();
  const fsvc = (...args: string[]) => runSvc(args, f.env);
  const fdir = join(f.home, 'lifecycle');
  afterAll(async () => {
    await fsvc('uninstall', 'lifecycle', '--yes');
    f.cleanup();
  });

  it('replaces a pod whose task keeps failing, on fresh resources where it runs again', async () => {
    expect((await fsvc('install', 'test/fixtures/lifecycle.yml', '--permanent-failure-timeout', '3')).code).toBe(0);
    const reservation = () => (JSON.parse(readFileSync(join(fdir, 'reservations.json'), 'utf8')) as Array<{ id: string; podInstance: string }>).find((r) => r.podInstance === 'web-0')?.id;
    const before = reservation();
    await fsvc('task', 'exec', 'web-0-server', 'touch', 'data/crash'); // the crash is in its volume
    await waitFor('replaced', () => reservation() !== before && reservation(), 30_000);
    await waitFor('running again', async () => (await fsvc('pod', 'status', 'web-0')).stdout.includes('web-0-server (RUNNING)'), 20_000);
    expect(readFileSync(join(fdir, 'scheduler.log'), 'utf8')).toMatch(/web-0-server has been failing for \d+ s: replacing web-0/);
    expect((await fsvc('task', 'exec', 'web-0-server', 'test', '-e', 'data/crash')).code).toBe(1); // a new, empty volume
  });
});

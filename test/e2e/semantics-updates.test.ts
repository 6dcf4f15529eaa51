// The original's update semantics on real processes (issue 15 items 4, 5, 8): raising cpus rolls
// every task of a multistep pod (FINISH task included) to the new config, and `pod info` shows a
// task not yet rolled with the config it runs; a plan that no longer launches a task has it killed;
// `pod pause` runs the original's pause command, shows the steps PAUSED, with rlimits too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/launcher/scheduler-env.js';
import { mainProcess, runSvc, taskProcesses, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);

interface TaskInfo {
  info: { name: string; taskId: { value: string }; command: { value: string }; resources: Array<{ name: string; scalar?: { value: number } }>; labels: { labels: Array<{ key: string; value: string }> }; check?: { command: { command: { value: string } } } };
  status: { state: string } | null;
}
interface PlanJson {
  status: string;
  phases: Array<{ name: string; steps: Array<{ name: string; status: string }> }>;
}

const podInfo = async (service: string, pod: string): Promise<Record<string, TaskInfo>> => {
  const r = await svc('pod', 'info', pod, '--name', service);
  if (r.code !== 0) return {};
  return Object.fromEntries((JSON.parse(r.stdout) as TaskInfo[]).map((x) => [x.info.name, x]));
};
const configOf = (x: TaskInfo | undefined) => x?.info.labels.labels.find((l) => l.key === 'target_configuration')?.value;
const cpusOf = (x: TaskInfo | undefined) => x?.info.resources.find((r) => r.name === 'cpus')?.scalar?.value;
const plan = async (service: string, name: string): Promise<PlanJson | undefined> => {
  const r = await svc('plan', 'show', name, '--json', '--name', service);
  return r.code === 0 ? (JSON.parse(r.stdout) as PlanJson) : undefined;
};
const steps = (p: PlanJson | undefined) => Object.fromEntries((p?.phases ?? []).flatMap((ph) => ph.steps.map((s) => [s.name, s.status])));
const touchReady = (service: string, task: string) => runSvc(['task', 'exec', task, 'touch', 'ready'], { ...t.env, SVC_SERVICE: service });

// hello's first task is ready only once told (a file in its sandbox, removed at every launch), so
// a rollout can be held between hello's two steps
const rollSpec = (cpus: number) => `name: roll
pods:
  hello:
    count: 1
    tasks:
      first:
        goal: RUNNING
        cmd: rm -f ready && exec sleep 1000
        cpus: ${cpus}
        memory: 16
        readiness-check: { cmd: test -e ready, interval: 1, delay: 1, timeout: 5 }
      second:
        goal: RUNNING
        cmd: exec sleep 1000
        cpus: ${cpus}
        memory: 16
  world:
    count: 1
    tasks:
      server:
        goal: RUNNING
        cmd: exec sleep 1000
        cpus: ${cpus}
        memory: 16
      finish:
        goal: FINISH
        cmd: echo done
        cpus: ${cpus}
        memory: 16
plans:
  deploy:
    strategy: serial
    phases:
      hello:
        strategy: serial
        pod: hello
        steps:
          - default: [[first], [second]]
      world:
        strategy: serial
        pod: world
`;

const toggleSpec = (sidecars: boolean) => `name: toggle
pods:
  app:
    count: 2
    tasks:
      server: { goal: RUNNING, cmd: exec sleep 1000, cpus: 0.1, memory: 16 }
      sidecar: { goal: RUNNING, cmd: exec sleep 1001, cpus: 0.1, memory: 16 }
plans:
  deploy:
    strategy: serial
    phases:
      app:
        strategy: serial
        pod: app
        steps:
          - default: [[server]${sidecars ? ', [sidecar]' : ''}]
`;

const pauseSpec = `name: paws
pods:
  limited:
    count: 1
    rlimits:
      RLIMIT_NOFILE: { soft: 64, hard: 128 }
    tasks:
      server:
        goal: RUNNING
        cmd: exec sleep 1000
        cpus: 0.1
        memory: 16
        readiness-check: { cmd: 'true', interval: 1, delay: 0, timeout: 5 }
`;

describe('update and pause semantics on real processes', () => {
  const roll = join(t.home, 'roll.yml');
  const toggle = join(t.home, 'toggle.yml');
  const paws = join(t.home, 'paws.yml');

  beforeAll(async () => {
    writeFileSync(roll, rollSpec(0.1));
    writeFileSync(toggle, toggleSpec(true));
    writeFileSync(paws, pauseSpec);
    expect((await svc('install', roll, '--no-wait')).code).toBe(0);
    expect((await svc('install', toggle)).code).toBe(0);
    expect((await svc('install', paws)).code).toBe(0);
  });
  afterAll(async () => {
    for (const name of ['roll', 'toggle', 'paws']) await svc('uninstall', name, '--yes');
    t.cleanup();
  });

  it('raising cpus relaunches every task of the pod with the new config; pod info shows a task not yet rolled as it runs', async () => {
    await waitFor('hello-0-first running', async () => (await podInfo('roll', 'hello-0'))['hello-0-first']?.status?.state === 'TASK_RUNNING');
    await touchReady('roll', 'hello-0-first');
    await waitFor('deploy COMPLETE', async () => (await plan('roll', 'deploy'))?.status === 'COMPLETE', 30_000);
    const before = { ...(await podInfo('roll', 'hello-0')), ...(await podInfo('roll', 'world-0')) };
    const oldConfig = configOf(before['hello-0-first']);
    expect(cpusOf(before['hello-0-second'])).toBe(0.1);

    writeFileSync(roll, readFileSync(roll, 'utf8').replaceAll('cpus: 0.1', 'cpus: 0.2'));
    expect((await svc('update', 'start', '--name', 'roll')).code).toBe(0);
    // held between hello's steps: first relaunched on the new config, not ready; second still the old one
    const mid = await waitFor('first relaunched', async () => {
      const info = await podInfo('roll', 'hello-0');
      const first = info['hello-0-first'];
      return first && first.info.taskId.value !== before['hello-0-first'].info.taskId.value && first.status?.state === 'TASK_RUNNING' && info;
    }, 30_000);
    expect(configOf(mid['hello-0-first'])).not.toBe(oldConfig);
    expect(cpusOf(mid['hello-0-first'])).toBe(0.2);
    expect(mid['hello-0-second'].info.taskId.value).toBe(before['hello-0-second'].info.taskId.value);
    expect(configOf(mid['hello-0-second'])).toBe(oldConfig);
    expect(cpusOf(mid['hello-0-second'])).toBe(0.1); // what it runs, not the target
    expect(steps(await plan('roll', 'deploy'))['hello-0:[second]']).toBe('PENDING');

    await touchReady('roll', 'hello-0-first');
    await waitFor('deploy COMPLETE again', async () => (await plan('roll', 'deploy'))?.status === 'COMPLETE', 30_000);
    const after = { ...(await podInfo('roll', 'hello-0')), ...(await podInfo('roll', 'world-0')) };
    const newConfig = configOf(after['hello-0-first']);
    for (const name of ['hello-0-first', 'hello-0-second', 'world-0-server', 'world-0-finish']) {
      expect(after[name].info.taskId.value, name).not.toBe(before[name].info.taskId.value);
      expect(configOf(after[name]), name).toBe(newConfig);
      expect(cpusOf(after[name]), name).toBe(0.2);
    }
    expect(after['world-0-finish'].status?.state).toBe('TASK_FINISHED');
  });

  it('a plan that no longer launches the sidecars has them killed; the servers keep running', async () => {
    const servers = () => [0, 1].map((i) => mainProcess(t.home, `app-${i}-server`)?.pid);
    const before = servers();
    expect(before.every((pid) => pid !== undefined)).toBe(true);
    expect(Object.keys(steps(await plan('toggle', 'deploy')))).toHaveLength(4);
    writeFileSync(toggle, toggleSpec(false));
    expect((await svc('update', 'start', '--name', 'toggle')).code).toBe(0);
    await waitFor('sidecars gone', () => !taskProcesses(t.home).some((p) => /^app-\d-sidecar$/.test(p.env.TASK_NAME)), 30_000);
    expect(Object.keys(steps(await plan('toggle', 'deploy')))).toHaveLength(2);
    const info = await podInfo('toggle', 'app-0');
    expect(info['app-0-sidecar'].status?.state).toBe('TASK_KILLED'); // its record stays, as the original's
    expect(servers()).toEqual(before);
    expect((await plan('toggle', 'recovery'))?.phases).toEqual([]);
  });

  it('pause runs the original pause command with a failing readiness check and shows the steps PAUSED, rlimits and all; resume undoes it', async () => {
    expect((await svc('pod', 'pause', 'limited-0', '--name', 'paws')).code).toBe(0);
    await waitFor('PAUSED', async () => (await svc('pod', 'status', 'limited-0', '--name', 'paws')).stdout.includes('limited-0-server (PAUSED)'), 30_000);
    const info = (await podInfo('paws', 'limited-0'))['limited-0-server'];
    expect(info.info.command.value).toContain('This task is PAUSED, sleeping ...');
    expect(info.info.check?.command.command.value).toBe('exit 1');
    expect(mainProcess(t.home, 'limited-0-server')?.cmdline).toContain('This task is PAUSED');
    expect(steps(await plan('paws', 'deploy'))).toEqual({ 'limited-0:[server]': 'PAUSED' });
    await waitFor('recovery step PAUSED', async () => steps(await plan('paws', 'recovery'))['limited-0:[server]'] === 'PAUSED');
    expect((await svc('pod', 'resume', 'limited-0', '--name', 'paws')).code).toBe(0);
    await waitFor('RUNNING again', async () => (await svc('pod', 'status', 'limited-0', '--name', 'paws')).stdout.includes('limited-0-server (RUNNING)'), 30_000);
    await waitFor('recovery COMPLETE', async () => (await plan('paws', 'recovery'))?.status === 'COMPLETE');
    expect(steps(await plan('paws', 'deploy'))).toEqual({ 'limited-0:[server]': 'COMPLETE' });
    expect(mainProcess(t.home, 'limited-0-server')?.cmdline).toBe('sleep 1000');
  });
});

describe('an update that changes a static port, on real processes', () => {
  const h = tempHome();
  const svc = (...args: string[]) => runSvc(args, h.env);
  const plan = async (name: string): Promise<PlanJson | undefined> => {
    const r = await svc('plan', 'show', name, '--json', '--name', 'ports');
    return r.code === 0 ? (JSON.parse(r.stdout) as PlanJson) : undefined;
  };
  const file = join(h.home, 'ports.yml');
  const portSpec = (port: number) =>
    `name: ports\npods:\n  web:\n    count: 1\n    volume: { path: data, type: ROOT, size: 16 }\n    tasks:\n      server:\n        goal: RUNNING\n        cpus: 0.1\n        memory: 16\n        ports:\n          http: { port: ${port}, advertise: true }\n        cmd: echo kept >> data/runs && exec busybox httpd -f -p $PORT_HTTP -h data\n`;
  const blocker = join(h.home, 'blocker.yml');
  afterAll(async () => {
    for (const name of ['ports', 'blocker']) await svc('uninstall', name, '--yes');
    h.cleanup();
  });

  it('relaunches the task on the new port, its reservation and volume kept; a port held elsewhere makes the step wait, saying why, until it is free', async () => {
    const [p1, p2] = [await freePort(), await freePort()];
    writeFileSync(file, portSpec(p1));
    expect((await svc('install', file)).code).toBe(0);
    const address = async () => (JSON.parse((await svc('endpoints', 'http', '--name', 'ports')).stdout) as { address: string[] }).address[0];
    expect((await address()).endsWith(`:${p1}`)).toBe(true);
    // another service holds p2 (busybox httpd listens on every address: p2 is taken on every agent)
    writeFileSync(blocker, portSpec(p2).replace('name: ports', 'name: blocker'));
    expect((await svc('install', blocker)).code).toBe(0);

    writeFileSync(file, portSpec(p2));
    expect((await svc('update', 'start', '--name', 'ports')).code).toBe(0);
    const log = () => readFileSync(join(h.home, 'ports', 'scheduler.log'), 'utf8');
    await waitFor('the step waiting for its port', () => log().includes(`its new ports are not free on`) && log().includes(`port ${p2} (http) is not available`), 20_000);
    expect((await svc('uninstall', 'blocker', '--yes')).code).toBe(0);

    await waitFor('the rollout', async () => (await plan('deploy'))?.status === 'COMPLETE' && (await address()).endsWith(`:${p2}`), 30_000);
    expect(await fetch(`http://${(await address())}/runs`).then((r) => r.text())).toBe('kept\nkept\n'); // the same volume, served on the new port
  }, 90_000);
});

// What an operator sees around waits and actions (issue 16): Ctrl-C during a wait, failing tasks with
// their reason and restarts, placement reasons, pods that can never fit, resume of an unpaused pod,
// pod actions as a sentence on a terminal and JSON when piped. Over stubbed API answers.
import { describe, expect, it } from 'vitest';
import type { OffersJson, SvcClient } from '../../src/client/index.js';
import { localAgents, neverFits } from '../../src/cli/fit.js';
import { testIo } from '../../src/cli/io.js';
import type { ServiceSpec } from '../../src/cli/launcher-port.js';
import { placementNotes } from '../../src/cli/placement-note.js';
import { progressLine, waitForPlan } from '../../src/cli/wait.js';
import type { PlanJson } from '../../src/plan/json.js';
import { run, type Stub } from './helpers.js';

const get = (path: string, body?: unknown, status = 200): Stub => ({ method: 'GET', path, body, status });
const post = (path: string, body?: unknown, status = 200): Stub => ({ method: 'POST', path, body, status });
const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

const plan = (status: string, steps: Array<[string, string]>): PlanJson =>
  ({ phases: [{ id: 'p', name: 'cache', strategy: 'serial', status, steps: steps.map(([name, st]) => ({ id: name, name, status: st, message: '' })) }], strategy: 'serial', errors: [], status }) as PlanJson;

const offers = (entries: Array<[string, 'pass' | 'fail', string[], number]>): OffersJson => ({
  acceptedCount: 0,
  rejectedCount: 0,
  failureReasons: {},
  offers: entries.map(([step, outcome, explanation, timestamp]) => ({ timestamp, 'pod-instance-name': step, outcome, explanation, offer: '' })) as OffersJson['offers'],
});

describe('Ctrl-C during a wait', () => {
  it('stops waiting with exit status 130 and says what keeps going', async () => {
    const io = testIo();
    let polls = 0;
    const client = {
      plan: async () => {
        if (++polls === 2) io.interrupt();
        return { status: 200, text: '', body: plan('IN_PROGRESS', [['cache-0:[server]', 'STARTING']]) };
      },
      tasks: async () => ({ status: 200, text: '', body: [] }),
    } as unknown as SvcClient;
    const err = await waitForPlan(io, client, 'deploy', { timeoutMs: 60_000, keepsGoing: 'memcache keeps deploying', pollMs: 10 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 130, message: 'stopped waiting; memcache keeps deploying (svc plan show deploy --watch)' });
    expect(polls).toBe(2); // no poll after the interrupt
  });
});

describe('placement reasons', () => {
  it('the newest refusal of each waiting step is its note; a step placed since has none', () => {
    const p = plan('IN_PROGRESS', [['cache-0:[server]', 'COMPLETE'], ['cache-1:[server]', 'PREPARED']]);
    const log = offers([
      ['cache-0:[server]', 'fail', ['agent-1: old reason'], 1],
      ['cache-0:[server]', 'pass', ['placed on agent-1'], 2],
      ['cache-1:[server]', 'fail', ['agent-1: older'], 3],
      ['cache-1:[server]', 'fail', ['agent-1: hostname:UNIQUE: 1 instance(s) of cache already on agent-1.local'], 4],
    ]);
    const notes = placementNotes(log, p);
    expect([...notes]).toEqual([['cache-1:[server]', ['agent-1: hostname:UNIQUE: 1 instance(s) of cache already on agent-1.local']]]);
    expect(progressLine('deploy', p, notes)).toBe(
      'deploy IN_PROGRESS: 1/2 steps complete, cache › cache-1:[server] WAITING (not placed: agent-1: hostname:UNIQUE: 1 instance(s) of cache already on agent-1.local)',
    );
  });

  it('the timeout message says why the step is not placed', async () => {
    const p = plan('IN_PROGRESS', [['cache-0:[server]', 'PENDING']]);
    const client = {
      plan: async () => ({ status: 202, text: '', body: p }),
      debugOffers: async () => ({ status: 200, text: '', body: offers([['cache-0:[server]', 'fail', ['agent-1: not enough memory'], 1]]) }),
      tasks: async () => ({ status: 200, text: '', body: [] }),
    } as unknown as SvcClient;
    const err = await waitForPlan(testIo(), client, 'deploy', { timeoutMs: 30, keepsGoing: 'x', pollMs: 10 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      exitCode: 1,
      message: 'plan deploy is still IN_PROGRESS after 0 s: deploy IN_PROGRESS: 0/1 steps complete, cache › cache-0:[server] WAITING (not placed: agent-1: not enough memory) (svc plan show deploy)',
    });
  });

  it('plan show puts the reasons under the step', async () => {
    const p = plan('IN_PROGRESS', [['cache-0:[server]', 'PENDING']]);
    const r = await run(['plan', 'show', 'deploy'], {
      stubs: [get('/v1/plans/deploy', p, 202), get('/v2/debug/offers', offers([['cache-0:[server]', 'fail', ['agent-1: not enough memory', 'agent-2: not enough memory'], 1]]))],
    });
    expect(r.stdout).toBe(
      'deploy (serial strategy) (IN_PROGRESS)\n└─ cache (serial strategy) (IN_PROGRESS)\n   └─ cache-0:[server] (PENDING)\n      ├─ not placed: agent-1: not enough memory\n      └─ not placed: agent-2: not enough memory\n',
    );
  });
});

describe('pods that can never fit are refused before install', () => {
  const spec = (count: number, memory: number, placement: string[] = []) =>
    ({
      name: 'memcache',
      pods: [
        {
          name: 'cache',
          count,
          constraints: placement.map((p) => {
            const [field, operator, value] = p.split(':');
            return { field, operator, value };
          }),
          volumes: [],
          resourceSets: [],
          tasks: [{ name: 'server', cpus: 0.1, memory, volumes: [] }],
        },
      ],
    }) as unknown as ServiceSpec;

  it('UNIQUE with more instances than agents', () => {
    expect(neverFits(spec(4, 64, ['hostname:UNIQUE']), localAgents({}))).toEqual([
      'pod cache wants 4 instances but hostname:UNIQUE allows 3 on 3 agents (3 distinct hostname values); lower its count or add agents (--agents, --agents-file)',
    ]);
    expect(neverFits(spec(3, 64, ['hostname:UNIQUE']), localAgents({}))).toEqual([]);
    expect(neverFits(spec(4, 64, ['hostname:UNIQUE']), localAgents({ agents: 4 }))).toEqual([]);
  });

  it('a pod larger than every agent', () => {
    expect(neverFits(spec(1, 9000, []), localAgents({}))[0]).toMatch(/^pod cache needs 0.1 cpus, 9000 MB memory and 0 MB disk per instance, more than any agent has \(the largest: 4 cpus, 8192 MB/);
    expect(neverFits(spec(1, 9000, []), localAgents({ agentMem: 10000 }))).toEqual([]);
  });
});

const failingTasks = [
  { name: 'hello-0-server', pod: 'hello-0', status: 'RUNNING', failures: 0 },
  { name: 'hello-1-server', pod: 'hello-1', status: 'FAILED', message: 'exited with code 3', failures: 4 },
];
const podStatus = {
  service: 'hello-world',
  pods: [{ name: 'hello', instances: [{ name: 'hello-0', tasks: [{ id: 't0', name: 'hello-0-server', status: 'RUNNING' }] }, { name: 'hello-1', tasks: [{ id: 't1', name: 'hello-1-server', status: 'FAILED' }] }] }],
};

describe('a failing task shows why and how often', () => {
  it('pod status', async () => {
    const r = await run(['pod', 'status'], { stubs: [get('/v1/pod/status', podStatus), get('/v1/tasks', failingTasks)] });
    expect(r.stdout).toBe('hello-world\n└─ hello\n   ├─ hello-0\n   │  └─ hello-0-server (RUNNING)\n   └─ hello-1\n      └─ hello-1-server (FAILED) exited with code 3, 4 restarts\n');
  });

  it('a task relaunched after a failure keeps its reason as history', async () => {
    const tasks = [failingTasks[0], { ...failingTasks[1], status: 'RUNNING', message: undefined, lastFailure: 'exited with code 3', failures: 1 }];
    const r = await run(['pod', 'status', 'hello-1'], {
      stubs: [get('/v1/pod/hello-1/status', { name: 'hello-1', tasks: [{ id: 't2', name: 'hello-1-server', status: 'RUNNING' }] }), get('/v1/tasks', tasks)],
    });
    expect(r.stdout).toBe('hello-1\n└─ hello-1-server (RUNNING) last failed: exited with code 3, 1 restart\n');
  });

  it('pod status --json is the API answer alone', async () => {
    const r = await run(['pod', 'status', '--json'], { stubs: [get('/v1/pod/status', podStatus)] });
    expect(JSON.parse(r.stdout)).toEqual(podStatus);
    expect(r.unused).toEqual([]);
  });

  it('task list gets restarts and reason columns', async () => {
    const r = await run(['task', 'list'], { stubs: [get('/v1/pod/status', podStatus), get('/v1/tasks', failingTasks)] });
    expect(r.stdout).toBe(
      'NAME            STATUS   RESTARTS  REASON              POD      ID\nhello-0-server  RUNNING  0         -                   hello-0  t0\nhello-1-server  FAILED   4         exited with code 3  hello-1  t1\n',
    );
  });

  it('describe names the failing task', async () => {
    const r = await run(['describe'], {
      stubs: [get('/v1/pod/status', podStatus), get('/v1/plans', []), get('/v1/endpoints', []), get('/v1/configurations/targetId', ['c1']), get('/v1/tasks', failingTasks)],
    });
    expect(r.stdout).toContain('  failures   hello-1-server: exited with code 3, 4 restarts (svc task log hello-1-server --stderr)\n');
  });

  it('a wait that ends warns about a task that failed meanwhile', async () => {
    const done = plan('COMPLETE', [['hello-0:[server]', 'COMPLETE']]);
    const r = await run(['plan', 'start', 'deploy', '--wait'], {
      stubs: [
        // plan start reads the plan first (a running one is not started again)
        get('/v1/plans/deploy', done),
        post('/v1/plans/deploy/start', { message: 'ok' }),
        get('/v1/tasks', [{ ...failingTasks[1], status: 'RUNNING', failures: 0 }]),
        get('/v1/plans/deploy', done),
        get('/v1/tasks', failingTasks),
      ],
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('svc: warning: task hello-1-server failed meanwhile (exited with code 3, 4 restarts); see: svc task log hello-1-server --stderr\n');
    expect(r.stderr).not.toContain('hello-0-server');
  });
});

describe('pod resume', () => {
  const status = (s0: string, s1 = s0) => get('/v1/pod/cache-0/status', { name: 'cache-0', tasks: [{ id: 'a', name: 'cache-0-server', status: s0 }, { id: 'b', name: 'cache-0-sidecar', status: s1 }] });

  it('of a pod that is not paused does nothing', async () => {
    const r = await run(['pod', 'resume', 'cache-0'], { stubs: [status('RUNNING')] });
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'svc: cache-0 is not paused; nothing to resume (--force relaunches anyway)\n', unused: [] });
  });

  it('resumes only the paused tasks', async () => {
    const r = await run(['pod', 'resume', 'cache-0'], { stubs: [status('PAUSED', 'RUNNING'), post('/v1/pod/cache-0/resume', { pod: 'cache-0', tasks: ['cache-0-server'] })] });
    expect(r.code).toBe(0);
    expect(r.sent).toEqual({ 'POST /v1/pod/cache-0/resume': ['cache-0-server'] });
  });

  it('--force relaunches anyway', async () => {
    const r = await run(['pod', 'resume', 'cache-0', '--force'], { stubs: [post('/v1/pod/cache-0/resume', { pod: 'cache-0', tasks: ['cache-0-server', 'cache-0-sidecar'] })] });
    expect(r).toMatchObject({ code: 0, stdout: json({ pod: 'cache-0', tasks: ['cache-0-server', 'cache-0-sidecar'] }) });
  });
});

describe('pod restart', () => {
  const answer = { pod: 'hello-0', tasks: ['hello-0-server'] };
  it('prints a sentence on a terminal, the JSON when piped or with --json', async () => {
    const tty = await run(['pod', 'restart', 'hello-0'], { tty: true, stubs: [post('/v1/pod/hello-0/restart', answer)] });
    expect(tty.stdout).toBe('restarting hello-0 in place (hello-0-server); follow with: svc pod status hello-0\n');
    const piped = await run(['pod', 'restart', 'hello-0'], { stubs: [post('/v1/pod/hello-0/restart', answer)] });
    expect(JSON.parse(piped.stdout)).toEqual(answer);
    const asked = await run(['pod', 'restart', 'hello-0', '--json'], { tty: true, stubs: [post('/v1/pod/hello-0/restart', answer)] });
    expect(JSON.parse(asked.stdout)).toEqual(answer);
  });

  it('replace --wait takes a pod without tasks for one not back yet', async () => {
    const st = (id: string, s: string) => get('/v1/pod/hello-0/status', { name: 'hello-0', tasks: [{ id, name: 'hello-0-server', status: s }] });
    const r = await run(['pod', 'replace', 'hello-0', '--yes', '--wait'], {
      stubs: [st('old', 'RUNNING'), post('/v1/pod/hello-0/replace', answer), get('/v1/pod/hello-0/status', 'Pod hello-0 not found', 404), st('new', 'RUNNING')],
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('waiting for hello-0\nhello-0: 0/1 tasks back, hello-0-server gone\nhello-0: 1/1 tasks back\n');
  });

  it('--wait waits for the tasks to run again under new ids', async () => {
    const st = (id: string, s: string) => get('/v1/pod/hello-0/status', { name: 'hello-0', tasks: [{ id, name: 'hello-0-server', status: s }] });
    const r = await run(['pod', 'restart', 'hello-0', '--wait'], {
      stubs: [st('old', 'RUNNING'), post('/v1/pod/hello-0/restart', answer), st('old', 'KILLED'), st('new', 'STARTING'), st('new', 'RUNNING')],
    });
    expect(r.code).toBe(0);
    expect(r.unused).toEqual([]);
    expect(r.stderr).toBe('waiting for hello-0\nhello-0: 0/1 tasks back, hello-0-server KILLED (old)\nhello-0: 0/1 tasks back, hello-0-server STARTING\nhello-0: 1/1 tasks back\n');
  });
});

describe('Ctrl-C during uninstall', () => {
  it('stops waiting, exit 130, and says how to finish', async () => {
    const { testDeps } = await import('./helpers.js');
    const { run: uninstall } = await import('../../src/cli/commands/service/uninstall.js');
    let progress: (line: string) => void = () => {};
    const t = testDeps({
      launcher: {
        checkInstalled: () => {},
        // the scheduler's uninstall plan goes on; this wait never ends by itself
        uninstall: (_name: string, p: (line: string) => void) => {
          progress = p;
          return new Promise<void>(() => {});
        },
      } as unknown as import('../../src/cli/launcher-port.js').Launcher,
    });
    const done = uninstall({ service: 'hello-world', yes: true }, t.deps).catch((e: unknown) => e);
    await new Promise((r) => setImmediate(r));
    progress('killing tasks and releasing resources: 1/5 uninstall steps complete');
    t.io.interrupt();
    expect(await done).toMatchObject({ exitCode: 130, message: 'stopped waiting; hello-world keeps uninstalling (svc services; run svc uninstall hello-world --yes again to finish)' });
    expect(t.io.stderr()).toBe('uninstalling hello-world\nuninstalling hello-world: killing tasks and releasing resources: 1/5 uninstall steps complete\n');
  });
});

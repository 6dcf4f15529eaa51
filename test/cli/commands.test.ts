// Whole commands over stubbed API answers: exact stdout, stderr and exit code.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, type Stub } from './helpers.js';

const step = (name: string, status: string) => ({ id: `id-${name}`, name, status, message: '' });
const deploy = (status = 'COMPLETE') => ({
  phases: [{ id: 'p', name: 'hello', strategy: 'serial', status, steps: [step('hello-0:[server]', 'COMPLETE'), step('hello-1:[server]', status)] }],
  strategy: 'serial',
  errors: [],
  status,
});
const podStatus = {
  service: 'hello-world',
  pods: [{ name: 'hello', instances: [{ name: 'hello-0', tasks: [{ id: 't0', name: 'hello-0-server', status: 'RUNNING' }] }, { name: 'hello-1', tasks: [{ id: 't1', name: 'hello-1-server', status: 'STARTING' }] }] }],
};
const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
const get = (path: string, body?: unknown, status = 200): Stub => ({ method: 'GET', path, body, status });
const post = (path: string, body?: unknown, status = 200): Stub => ({ method: 'POST', path, body, status });

interface Case {
  name: string;
  argv: string[];
  stubs?: Stub[];
  tty?: boolean;
  color?: boolean;
  env?: Record<string, string>;
  answers?: Array<boolean | string | Error>;
  code?: number;
  stdout?: string;
  stderr?: string;
  sent?: Record<string, unknown>;
}

const cases: Case[] = [
  // plans
  { name: 'plan list prints the names as JSON', argv: ['plan', 'list'], stubs: [get('/v1/plans', ['deploy', 'recovery'])], stdout: json(['deploy', 'recovery']) },
  {
    name: 'plan show draws the tree',
    argv: ['plan', 'show', 'deploy'],
    stubs: [get('/v1/plans/deploy', deploy('IN_PROGRESS'), 202)],
    stdout: 'deploy (serial strategy) (IN_PROGRESS)\n└─ hello (serial strategy) (IN_PROGRESS)\n   ├─ hello-0:[server] (COMPLETE)\n   └─ hello-1:[server] (IN_PROGRESS)\n',
  },
  {
    name: 'plan show colours status words on a colour terminal',
    argv: ['plan', 'show', 'deploy'],
    tty: true,
    color: true,
    stubs: [get('/v1/plans/deploy', deploy('IN_PROGRESS'), 202)],
    stdout:
      'deploy (serial strategy) (\x1b[33mIN_PROGRESS\x1b[39m)\n└─ hello (serial strategy) (\x1b[33mIN_PROGRESS\x1b[39m)\n   ├─ hello-0:[server] (\x1b[32mCOMPLETE\x1b[39m)\n   └─ hello-1:[server] (\x1b[33mIN_PROGRESS\x1b[39m)\n',
  },
  {
    name: 'a plan with errors (417) is still shown, exit 0',
    argv: ['plan', 'show', 'deploy'],
    stubs: [get('/v1/plans/deploy', { ...deploy('ERROR'), errors: ['boom'] }, 417)],
    stdout: 'deploy (serial strategy) (ERROR)\n└─ hello (serial strategy) (ERROR)\n   ├─ hello-0:[server] (COMPLETE)\n   └─ hello-1:[server] (ERROR)\n\nErrors:\n- boom\n',
  },
  { name: 'plan show --json prints the API JSON', argv: ['plan', 'show', 'deploy', '--json'], stubs: [get('/v1/plans/deploy', deploy())], stdout: json(deploy()) },
  {
    name: 'an unknown plan is answered with the plans there are',
    argv: ['plan', 'show', 'nope'],
    stubs: [get('/v1/plans/nope', 'Plan nope not found', 404), get('/v1/plans', ['deploy', 'recovery'])],
    code: 1,
    stderr: 'svc: plan "nope" not found; plans: deploy, recovery\n',
  },
  {
    name: 'plan start sends the parameters',
    argv: ['plan', 'start', 'sidecar', '-p', 'A=1', '-p', 'B=x=y'],
    stubs: [get('/v1/plans/sidecar', deploy()), post('/v1/plans/sidecar/start', { message: 'start sidecar with parameters: {A=1, B=x=y}' })],
    stdout: '"sidecar" plan has been started.\n',
    sent: { 'POST /v1/plans/sidecar/start': { A: '1', B: 'x=y' } },
  },
  { name: 'plan start without parameters sends {}', argv: ['plan', 'start', 'sidecar'], stubs: [get('/v1/plans/sidecar', deploy('PENDING')), post('/v1/plans/sidecar/start', { message: 'ok' })], stdout: '"sidecar" plan has been started.\n', sent: { 'POST /v1/plans/sidecar/start': {} } },
  {
    name: 'plan start of a plan in progress says so and starts nothing',
    argv: ['plan', 'start', 'sidecar', '-p', 'A=1'],
    stubs: [get('/v1/plans/sidecar', deploy('IN_PROGRESS'))],
    code: 1,
    stderr: 'svc: plan "sidecar" is already in progress (1/2 steps complete); nothing was started (watch it: svc plan show sidecar --watch)\n',
  },
  { name: 'plan pause of a phase', argv: ['plan', 'pause', 'deploy', 'hello'], stubs: [post('/v1/plans/deploy/interrupt?phase=hello', { message: 'Received cmd: interrupt' })], stdout: '"deploy" plan: phase "hello" has been paused.\n' },
  { name: 'plan resume', argv: ['plan', 'resume', 'deploy'], stubs: [post('/v1/plans/deploy/continue', { message: 'Received cmd: continue' })], stdout: '"deploy" plan has been resumed.\n' },
  { name: 'plan stop', argv: ['plan', 'stop', 'sidecar'], stubs: [post('/v1/plans/sidecar/stop', { message: 'Received cmd: stop' })], stdout: '"sidecar" plan has been stopped.\n' },
  {
    name: 'plan force-restart of a step escapes the query',
    argv: ['plan', 'force-restart', 'deploy', 'hello', 'hello-0:[server]'],
    stubs: [post('/v1/plans/deploy/restart?phase=hello&step=hello-0%3A%5Bserver%5D', { message: 'restart' })],
    stdout: '"deploy" plan: step "hello-0:[server]" in phase "hello" has been restarted.\n',
  },
  {
    name: 'plan force-complete',
    argv: ['plan', 'force-complete', 'deploy', 'hello', 'hello-1:[server]'],
    stubs: [post('/v1/plans/deploy/forceComplete?phase=hello&step=hello-1%3A%5Bserver%5D', { message: 'forceComplete' })],
    stdout: '"deploy" plan: step "hello-1:[server]" in phase "hello" has been forced to complete.\n',
  },
  { name: 'a reply without a message: "could not be", still exit 0', argv: ['plan', 'pause', 'deploy'], stubs: [post('/v1/plans/deploy/interrupt', '')], stdout: '"deploy" plan could not be paused.\n' },
  {
    name: 'a plan command already done (208) fails',
    argv: ['plan', 'pause', 'deploy'],
    stubs: [post('/v1/plans/deploy/interrupt', 'Command has already been reported or completed', 208)],
    code: 1,
    stderr: 'svc: Cannot execute command. Command has already been issued or the plan has completed\n',
  },
  { name: 'update status is the deploy plan', argv: ['update', 'status'], stubs: [get('/v1/plans/deploy', deploy())], stdout: 'deploy (serial strategy) (COMPLETE)\n└─ hello (serial strategy) (COMPLETE)\n   ├─ hello-0:[server] (COMPLETE)\n   └─ hello-1:[server] (COMPLETE)\n' },

  // pods
  { name: 'pod list', argv: ['pod', 'list'], stubs: [get('/v1/pod', ['hello-0', 'hello-1'])], stdout: json(['hello-0', 'hello-1']) },
  {
    name: 'pod status draws the service tree',
    argv: ['pod', 'status'],
    stubs: [get('/v1/pod/status', podStatus)],
    stdout: 'hello-world\n└─ hello\n   ├─ hello-0\n   │  └─ hello-0-server (RUNNING)\n   └─ hello-1\n      └─ hello-1-server (STARTING)\n',
  },
  { name: 'pod status of one pod', argv: ['pod', 'status', 'hello-0'], stubs: [get('/v1/pod/hello-0/status', { name: 'hello-0', tasks: [{ id: 't0', name: 'hello-0-server', status: 'RUNNING' }] })], stdout: 'hello-0\n└─ hello-0-server (RUNNING)\n' },
  { name: 'pod info prints the API JSON', argv: ['pod', 'info', 'hello-0'], stubs: [get('/v1/pod/hello-0/info', [{ info: { name: 'hello-0-server' }, status: null }])], stdout: json([{ info: { name: 'hello-0-server' }, status: null }]) },
  {
    name: 'pausing an unknown phase names the phases there are, not the HTTP exchange',
    argv: ['plan', 'pause', 'deploy', 'nophase'],
    stubs: [post('/v1/plans/deploy/interrupt?phase=nophase', 'Phase nophase not found', 404), get('/v1/plans/deploy', deploy())],
    code: 1,
    stderr: 'svc: phase "nophase" not found in plan deploy; phases: hello\n',
  },
  {
    name: 'an unknown step names the steps of its phase',
    argv: ['plan', 'force-complete', 'deploy', 'hello', 'hello-9:[server]'],
    stubs: [post('/v1/plans/deploy/forceComplete?phase=hello&step=hello-9%3A%5Bserver%5D', 'Step hello-9:[server] not found', 404), get('/v1/plans/deploy', deploy())],
    code: 1,
    stderr: 'svc: step "hello-9:[server]" not found in phase hello of plan deploy; steps: hello-0:[server], hello-1:[server]\n',
  },
  {
    name: 'an unknown pod is answered with the pods there are',
    argv: ['pod', 'info', 'nope'],
    stubs: [get('/v1/pod/nope/info', 'Pod nope not found', 404), get('/v1/pod', ['hello-0', 'hello-1'])],
    code: 1,
    stderr: 'svc: pod "nope" not found; pods: hello-0, hello-1\n',
  },
  {
    name: 'pausing an unknown task of a known pod says so',
    argv: ['pod', 'pause', 'hello-0', '-t', 'nope'],
    stubs: [post('/v1/pod/hello-0/pause', 'Pod hello-0 not found', 404), get('/v1/pod', ['hello-0'])],
    code: 1,
    stderr: 'svc: hello-0 has no task "nope" (see: svc pod status hello-0)\n',
    sent: { 'POST /v1/pod/hello-0/pause': ['nope'] },
  },
  { name: 'pod restart', argv: ['pod', 'restart', 'hello-0'], stubs: [post('/v1/pod/hello-0/restart', { pod: 'hello-0', tasks: ['hello-0-server'] })], stdout: json({ pod: 'hello-0', tasks: ['hello-0-server'] }) },
  { name: 'pod replace needs --yes off a terminal', argv: ['pod', 'replace', 'hello-0'], code: 2, stderr: 'svc: refusing to replace hello-0 (its data is destroyed) without --yes when not running interactively\n' },
  {
    name: 'pod replace asks on a terminal',
    argv: ['pod', 'replace', 'hello-0'],
    tty: true,
    answers: [true],
    stubs: [post('/v1/pod/hello-0/replace', { pod: 'hello-0', tasks: ['hello-0-server'] })],
    stdout: 'replacing hello-0 on fresh resources (hello-0-server); follow with: svc pod status hello-0\n',
    stderr: '? Replace hello-0? Its volumes are destroyed.\n',
  },
  { name: 'pod replace declined changes nothing, exit 1', argv: ['pod', 'replace', 'hello-0'], tty: true, answers: [false], code: 1, stderr: '? Replace hello-0? Its volumes are destroyed.\nsvc: cancelled; hello-0 was not replaced\n' },
  {
    name: 'Ctrl-C at a prompt cancels, exit 1',
    argv: ['pod', 'replace', 'hello-0'],
    tty: true,
    answers: [Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' })],
    code: 1,
    stderr: '? Replace hello-0? Its volumes are destroyed.\nsvc: cancelled; nothing was changed\n',
  },
  { name: 'pod replace --yes', argv: ['pod', 'replace', 'hello-0', '--yes'], stubs: [post('/v1/pod/hello-0/replace', { pod: 'hello-0', tasks: ['hello-0-server'] })], stdout: json({ pod: 'hello-0', tasks: ['hello-0-server'] }) },

  // tasks and endpoints
  {
    name: 'task list as columns',
    argv: ['task', 'list'],
    stubs: [get('/v1/pod/status', podStatus)],
    stdout: 'NAME            STATUS    POD      ID\nhello-0-server  RUNNING   hello-0  t0\nhello-1-server  STARTING  hello-1  t1\n',
  },
  {
    name: 'task list colours keep the columns aligned',
    argv: ['task', 'list'],
    tty: true,
    color: true,
    stubs: [get('/v1/pod/status', podStatus)],
    stdout:
      '\x1b[1mNAME\x1b[22m            \x1b[1mSTATUS\x1b[22m    \x1b[1mPOD\x1b[22m      \x1b[1mID\x1b[22m\nhello-0-server  \x1b[32mRUNNING\x1b[39m   hello-0  t0\nhello-1-server  \x1b[33mSTARTING\x1b[39m  hello-1  t1\n',
  },
  {
    name: 'task list --json',
    argv: ['task', 'list', '--json'],
    stubs: [get('/v1/pod/status', podStatus)],
    stdout: json([
      { name: 'hello-0-server', status: 'RUNNING', pod: 'hello-0', id: 't0' },
      { name: 'hello-1-server', status: 'STARTING', pod: 'hello-1', id: 't1' },
    ]),
  },
  {
    name: 'an unknown task is answered with the tasks there are',
    argv: ['task', 'log', 'nope'],
    stubs: [get('/v1/tasks/nope/logs?stream=stdout', 'Task nope not found', 404), get('/v1/pod/status', podStatus)],
    code: 1,
    stderr: 'svc: task "nope" not found; tasks: hello-0-server, hello-1-server\n',
  },
  { name: 'endpoints', argv: ['endpoints'], stubs: [get('/v1/endpoints', ['memcache'])], stdout: json(['memcache']) },
  { name: 'one endpoint', argv: ['endpoints', 'memcache'], stubs: [get('/v1/endpoints/memcache', { address: ['127.0.0.2:11211'], dns: ['cache-0-server.memcache.svc:11211'] })], stdout: json({ address: ['127.0.0.2:11211'], dns: ['cache-0-server.memcache.svc:11211'] }) },
  { name: 'an unknown endpoint', argv: ['endpoints', 'nope'], stubs: [get('/v1/endpoints/nope', '', 404), get('/v1/endpoints', ['memcache'])], code: 1, stderr: 'svc: endpoint "nope" not found; endpoints: memcache\n' },

  // config and state
  { name: 'config list', argv: ['config', 'list'], stubs: [get('/v1/configurations', ['c1', 'c2'])], stdout: json(['c1', 'c2']) },
  { name: 'config show', argv: ['config', 'show', 'c1'], stubs: [get('/v1/configurations/c1', { name: 'hello-world' })], stdout: json({ name: 'hello-world' }) },
  { name: 'config show of a bad id (400)', argv: ['config', 'show', 'abc'], stubs: [get('/v1/configurations/abc', '', 400), get('/v1/configurations', ['c1'])], code: 1, stderr: 'svc: "abc" is not a configuration id (a UUID); configurations: c1\n' },
  { name: 'config show of an unknown id (404)', argv: ['config', 'show', 'c9'], stubs: [get('/v1/configurations/c9', '', 404), get('/v1/configurations', [])], code: 1, stderr: 'svc: configuration c9 not found; configurations: none\n' },
  { name: 'config target', argv: ['config', 'target'], stubs: [get('/v1/configurations/target', { name: 'hello-world', pods: [] })], stdout: json({ name: 'hello-world', pods: [] }) },
  { name: 'config target_id', argv: ['config', 'target_id'], stubs: [get('/v1/configurations/targetId', ['c1'])], stdout: json(['c1']) },
  { name: 'state framework_id', argv: ['state', 'framework_id'], stubs: [get('/v1/state/frameworkId', ['fw-1'])], stdout: json(['fw-1']) },
  { name: 'state framework_id before registration', argv: ['state', 'framework_id'], stubs: [get('/v1/state/frameworkId', '', 404)], code: 1, stderr: 'svc: no framework id is stored yet: the scheduler has not registered (svc describe)\n' },
  { name: 'state properties', argv: ['state', 'properties'], stubs: [get('/v1/state/properties', ['deployment-completed'])], stdout: json(['deployment-completed']) },
  { name: 'a string property prints as text', argv: ['state', 'property', 'last-completed-update-type'], stubs: [get('/v1/state/properties/last-completed-update-type', 'DEPLOY')], stdout: 'DEPLOY\n' },
  { name: 'a string property with --json prints as JSON', argv: ['state', 'property', 'k', '--json'], stubs: [{ ...get('/v1/state/properties/k', 'DEPLOY'), text: '"DEPLOY"' }], stdout: '"DEPLOY"\n' },
  {
    name: '--json prints the scheduler\'s bytes re-indented: number forms and key order kept',
    argv: ['plan', 'show', 'deploy', '--json'],
    stubs: [{ ...get('/v1/plans/deploy', { status: 'COMPLETE' }), text: '{"status":"COMPLETE","errors":[ ],"ratio":1.0}' }],
    stdout: '{\n  "status": "COMPLETE",\n  "errors": [],\n  "ratio": 1.0\n}\n',
  },
  {
    name: 'a body that is not JSON is shown raw, as the original did',
    argv: ['state', 'property', 'k', '--json'],
    stubs: [{ ...get('/v1/state/properties/k', 'not json'), text: 'not json' }],
    stdout: 'Failed to prettify JSON response data: unexpected token \'o\', "not json" is not valid JSON\nOriginal data follows:\nnot json\n',
  },
  { name: 'an unknown property', argv: ['state', 'property', 'nope'], stubs: [get('/v1/state/properties/nope', '', 404), get('/v1/state/properties', ['a', 'b'])], code: 1, stderr: 'svc: property "nope" not found; properties: a, b\n' },

  // debug
  {
    name: 'debug offers counts evaluations by reason',
    argv: ['debug', 'offers'],
    stubs: [
      get('/v2/debug/offers', {
        acceptedCount: 1,
        rejectedCount: 2,
        failureReasons: { 'agent-1: insufficient cpus: 0.5 free, 1 needed': 2, 'agent-2: hostname:UNIQUE: an instance of hello already runs here': 1 },
        offers: [
          { timestamp: 1, 'pod-instance-name': 'hello-0:[server]', outcome: 'pass', explanation: [] },
          { timestamp: 2, 'pod-instance-name': 'hello-1:[server]', outcome: 'fail', explanation: ['agent-1: insufficient cpus: 0.5 free, 1 needed'] },
          { timestamp: 3, 'pod-instance-name': 'hello-1:[server]', outcome: 'fail', explanation: ['agent-1: insufficient cpus: 0.5 free, 1 needed', 'agent-2: hostname:UNIQUE: an instance of hello already runs here'] },
        ],
      }),
    ],
    stdout: `3 offer evaluations: 1 accepted, 2 rejected

Rejections by reason:
  2  agent-1: insufficient cpus: 0.5 free, 1 needed
  1  agent-2: hostname:UNIQUE: an instance of hello already runs here

Not placed at their last evaluation:
  hello-1:[server]
    - agent-1: insufficient cpus: 0.5 free, 1 needed
    - agent-2: hostname:UNIQUE: an instance of hello already runs here
`,
  },
  { name: 'debug offers --json prints the API JSON', argv: ['debug', 'offers', '--json'], stubs: [get('/v2/debug/offers', { acceptedCount: 0, rejectedCount: 0, failureReasons: {}, offers: [] })], stdout: json({ acceptedCount: 0, rejectedCount: 0, failureReasons: {}, offers: [] }) },
  { name: 'debug offers with nothing evaluated', argv: ['debug', 'offers'], stubs: [get('/v2/debug/offers', { acceptedCount: 0, rejectedCount: 0, failureReasons: {}, offers: [] })], stdout: 'No offer evaluations recorded yet.\n' },
  { name: 'debug plans', argv: ['debug', 'plans'], stubs: [get('/v1/debug/plans', { activePlans: [], plans: [] })], stdout: json({ activePlans: [], plans: [] }) },
  { name: 'debug plans filtered', argv: ['debug', 'plans', '--plan', 'deploy', '--phase', 'hello'], stubs: [get('/v1/debug/plans?plan=deploy&phase=hello', { plans: [] })], stdout: json({ plans: [] }) },
  { name: 'debug task-statuses', argv: ['debug', 'task-statuses'], stubs: [get('/v1/debug/taskStatuses', [{ name: 'deploy', phases: [] }])], stdout: json([{ name: 'deploy', phases: [] }]) },
  { name: 'debug reservations', argv: ['debug', 'reservations'], stubs: [get('/v1/debug/reservations', { 'agent-1.local': ['r1'] })], stdout: json({ 'agent-1.local': ['r1'] }) },

  // describe
  {
    name: 'describe summarises the service',
    argv: ['describe'],
    stubs: [get('/v1/pod/status', podStatus), get('/v1/plans', ['deploy', 'recovery']), get('/v1/endpoints', []), get('/v1/configurations/targetId', ['c1']), get('/v1/plans/deploy', deploy('IN_PROGRESS'), 202), get('/v1/plans/recovery', { ...deploy(), phases: [] })],
    stdout: `hello-world
  source     -
  scheduler  http://svc.test
  config     c1
  plans      deploy IN_PROGRESS, recovery COMPLETE
  pods       2 (2 tasks, 1 running)
  endpoints  none
`,
  },
  {
    name: 'describe --json',
    argv: ['describe', '--json'],
    stubs: [get('/v1/pod/status', { service: 'empty' }), get('/v1/plans', []), get('/v1/endpoints', ['web']), get('/v1/configurations/targetId', '', 404)],
    stdout: json({ name: 'empty', source: null, scheduler: { url: 'http://svc.test', pid: null }, config: null, plans: [], pods: 0, tasks: { total: 0, running: 0 }, endpoints: ['web'] }),
  },

  // errors
  {
    name: 'an unreachable scheduler exits 3',
    argv: ['plan', 'list'],
    stubs: [{ method: 'GET', path: '/v1/plans', unreachable: true }],
    code: 3,
    stderr: 'svc: cannot reach the scheduler at http://svc.test/v1/plans: ECONNREFUSED; is the service installed and its scheduler running? (svc services)\n',
  },
  {
    name: 'a scheduler error (5xx) exits 1 and says where to look',
    argv: ['pod', 'list'],
    stubs: [get('/v1/pod', 'oops', 500)],
    code: 1,
    stderr: "svc: GET http://svc.test/v1/pod: 500 oops (the scheduler failed to answer; its log is scheduler.log in the service's folder under $SVC_HOME)\n",
  },
  {
    name: 'a bad token (401) exits 1 and says where the token is',
    argv: ['pod', 'list'],
    stubs: [get('/v1/pod', '', 401)],
    code: 1,
    stderr: 'svc: GET http://svc.test/v1/pod: 401 Unauthorized: bad or missing token (see $SVC_HOME/<service>/token or --token)\n',
  },

  // help and version
  { name: 'help topic', argv: ['help', 'exit-codes'], stdout: expect.stringContaining('3  the service is not installed, or its scheduler cannot be reached') as unknown as string },
  { name: 'unknown help topic', argv: ['help', 'nope'], code: 2, stderr: 'svc: no help topic or command "nope"; topics: plans, specs, exit-codes, environment; commands: svc --help\n' },
  { name: 'help of a command', argv: ['help', 'pod', 'info'], stdout: expect.stringMatching(/^Usage: svc pod info \[options\] <pod>\n/) as unknown as string },
  { name: '--version', argv: ['--version'], stdout: 'dev\n' },
  { name: 'no command prints the usage on stderr, exit 2', argv: [], code: 2, stderr: expect.stringMatching(/^Usage: svc \[options\] \[command\]/) as unknown as string },
  { name: 'completion needs a shell', argv: ['completion'], code: 2, stderr: 'svc: which shell? svc completion bash|zsh|fish\n' },
];

describe('commands over stubbed answers', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await run(c.argv, { stubs: c.stubs, tty: c.tty, color: c.color, env: c.env, answers: c.answers });
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: c.code ?? 0, stdout: c.stdout ?? '', stderr: c.stderr ?? '' });
      expect(r.unused).toEqual([]);
      if (c.sent) expect(r.sent).toEqual(c.sent);
    });
  }
});

describe('uninstall confirmation', () => {
  const home = mkdtempSync(join(tmpdir(), 'svc-cli-'));
  mkdirSync(join(home, 'hello-world'));
  writeFileSync(join(home, 'hello-world', 'service.json'), JSON.stringify({ name: 'hello-world', source: { kind: 'spec', path: '/x/svc.yml' }, installedAt: '' }));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('needs --yes off a terminal', async () => {
    const r = await run(['uninstall', 'hello-world'], { svcHome: home });
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'svc: refusing to uninstall hello-world without --yes when not running interactively\n']);
  });

  it('on a terminal, a wrong name changes nothing', async () => {
    const r = await run(['uninstall', 'hello-world'], { svcHome: home, tty: true, answers: ['hello-wrld'] });
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      '',
      '? This destroys hello-world and all its data. Type the service name to confirm:\nsvc: confirmation "hello-wrld" does not match "hello-world"; nothing was changed\n',
    ]);
    expect(existsSync(join(home, 'hello-world', 'service.json'))).toBe(true);
  });

  it('an unknown service exits 3 and lists what is installed', async () => {
    const r = await run(['uninstall', 'nope', '--yes'], { svcHome: home });
    expect([r.code, r.stderr]).toEqual([3, 'svc: service "nope" is not installed; installed: hello-world\n']);
  });
});

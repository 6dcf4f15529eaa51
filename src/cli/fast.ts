// The lean path of `svc` for the read commands an operator types most: one GET to the scheduler and
// its rendering, without commander or the command tree (bin/svc loads this bundle first; see
// build.mjs). It takes only plain command lines; anything else — another command or option, --url,
// an error of any kind — returns undefined and the full program (main.ts) runs the command line from
// scratch, so every message, exit code and help stays in one place. Output is byte-identical to the
// full program's (test/cli/fast-path.test.ts).
import type { ServiceHome } from '../launcher/home.js';
import { statusOfHealth, statusOfHome } from '../launcher/service-status.js';
import { pidAlive } from '../util/fs.js';
import { makeDeps, selectHome } from './deps.js';
import { processIo, type Io } from './io.js';
import { leanGet } from './lean-get.js';
import type { ServiceSummary } from './launcher-port.js';
import { describeService, renderDescription } from './render/describe.js';
import { reindentJson } from './render/json.js';
import { renderTable } from './render/table.js';
import { renderTaskRows, taskRows } from './render/task-rows.js';
import { renderPlanTree, renderPodInstanceTree, renderPodTree } from './render/tree.js';
import { failureNotes } from './task-health.js';
import type { OffersJson, PodStatusJson, TaskHealthJson } from '../client/index.js';
import type { PlanJson } from '../plan/json.js';
import { placementNotes } from './placement-note.js';

declare const SVC_VERSION: string;

/** A parsed command line the lean path can run: its words (command and arguments) and options. */
interface Line {
  readonly words: readonly string[];
  readonly json: boolean;
  readonly name?: string;
}

/** `svc [--name n] [--json] words… [--json] [--name n]`; undefined for any other option. */
export function parseLine(args: readonly string[]): Line | undefined {
  const words: string[] = [];
  let json = false;
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--name' && i + 1 < args.length && !args[i + 1].startsWith('-')) name = args[++i];
    else if (a.startsWith('--name=') && a.length > 7) name = a.slice(7);
    else if (a.startsWith('-') || a === '') return undefined;
    else words.push(a);
  }
  return { words, json, name };
}

/** The scheduler's answer to a GET: its status, text (re-indented for printing) and parsed JSON. */
interface Answer {
  readonly status: number;
  readonly text: string;
  readonly body: unknown;
}
/** A GET of the service's scheduler; rejects on a status `ok` refuses (default: 200). */
type Get = (path: string, ok?: (status: number) => boolean) => Promise<Answer>;
/** The installed service a route reads: its registry entry and its scheduler's base URL. */
interface Service {
  readonly home: ServiceHome;
  readonly base: string;
}
type Route = (line: Line, get: Get, io: Io, service: Service) => Promise<string> | undefined;

const seg = encodeURIComponent;

/** The command lines of the lean path, by their first words; each returns undefined for other arities. */
const ROUTES: ReadonlyMap<string, Route> = new Map(Object.entries<Route>({
  'plan list': (l, get) => (l.words.length === 2 ? get('/v1/plans').then(json) : undefined),
  'plan show': (l, get, io) => (l.words.length === 3 ? planShow(l, get, io) : undefined),
  'plan status': (l, get, io) => (l.words.length === 3 ? planShow(l, get, io) : undefined),
  'pod list': (l, get) => (l.words.length === 2 ? get('/v1/pod').then(json) : undefined),
  'pod status': (l, get, io) => (l.words.length <= 3 ? podStatus(l, get, io) : undefined),
  endpoints: (l, get) => (l.words.length <= 2 ? endpoints(l, get) : undefined),
  endpoint: (l, get) => (l.words.length <= 2 ? endpoints(l, get) : undefined),
  'pod info': (l, get) => (l.words.length === 3 ? get(`/v1/pod/${seg(l.words[2])}/info`).then(json) : undefined),
  'config list': (l, get) => (l.words.length === 2 ? get('/v1/configurations').then(json) : undefined),
  'config show': (l, get) => (l.words.length === 3 ? get(`/v1/configurations/${seg(l.words[2])}`).then(json) : undefined),
  'config target': (l, get) => (l.words.length === 2 ? get('/v1/configurations/target').then(json) : undefined),
  'config target_id': (l, get) => (l.words.length === 2 ? get('/v1/configurations/targetId').then(json) : undefined),
  'config target-id': (l, get) => (l.words.length === 2 ? get('/v1/configurations/targetId').then(json) : undefined),
  'state framework_id': (l, get) => (l.words.length === 2 ? get('/v1/state/frameworkId').then(json) : undefined),
  'state framework-id': (l, get) => (l.words.length === 2 ? get('/v1/state/frameworkId').then(json) : undefined),
  'state properties': (l, get) => (l.words.length === 2 ? get('/v1/state/properties').then(json) : undefined),
  'state property': (l, get) => (l.words.length === 3 ? property(l, get) : undefined),
  'task list': (l, get, io) => (l.words.length === 2 ? taskList(l, get, io) : undefined),
  describe: (l, get, io, s) => (l.words.length === 1 ? describe(l, get, io, s) : undefined),
}));

/** The groups' aliases (`svc plans list`), as the full program registers them. */
const GROUP_ALIASES: ReadonlyMap<string, string> = new Map([
  ['plans', 'plan'],
  ['pods', 'pod'],
  ['configs', 'config'],
  ['tasks', 'task'],
]);

const json = (a: Answer): string => reindentJson(a.text);
/** JSON the CLI builds itself, as commands/shared.ts's toJson (not imported: it brings commander). */
const toJson = (body: unknown): string => JSON.stringify(body, null, 2) + '\n';
/** As the client: a plan in progress answers 202, one in error 417. */
const planOk = (s: number): boolean => s === 200 || s === 202 || s === 417;
const is2xx = (s: number): boolean => s >= 200 && s < 300;

async function planShow(l: Line, get: Get, io: Io): Promise<string> {
  const a = await get(`/v1/plans/${seg(l.words[2])}`, planOk);
  if (l.json) return json(a);
  const plan = a.body as PlanJson;
  // as the full program: a step waiting for resources gets why, from the placement log
  const waiting = plan.phases.some((ph) => ph.steps.some((st) => st.status === 'PENDING' || st.status === 'PREPARED'));
  const notes = waiting ? await get('/v2/debug/offers').then((o) => placementNotes(o.body as OffersJson, plan), () => new Map<string, string[]>()) : new Map<string, string[]>();
  return renderPlanTree(l.words[2], plan, await io.colors(), notes);
}

async function podStatus(l: Line, get: Get, io: Io): Promise<string> {
  const pod = l.words[2];
  const a = await get(pod === undefined ? '/v1/pod/status' : `/v1/pod/${seg(pod)}/status`);
  if (l.json) return json(a);
  const colors = await io.colors();
  const notes = failureNotes(await get('/v1/tasks').then((t) => (Array.isArray(t.body) ? (t.body as TaskHealthJson[]) : []), () => []));
  return pod === undefined ? renderPodTree(a.body as Parameters<typeof renderPodTree>[0], colors, notes) : renderPodInstanceTree(a.body as Parameters<typeof renderPodInstanceTree>[0], colors, notes);
}

/**
 * Task name → its health from svc's GET /v1/tasks, as task-health.ts's taskHealth: empty when the
 * scheduler answers it with an error or something else than a list of tasks. A failed request
 * rejects (and the full program runs the command).
 */
async function taskHealth(get: Get): Promise<Map<string, TaskHealthJson>> {
  const a = await get('/v1/tasks', () => true);
  try {
    if (!is2xx(a.status)) return new Map();
    return new Map((a.body as TaskHealthJson[]).map((t) => [t.name, t]));
  } catch {
    return new Map();
  }
}

async function taskList(l: Line, get: Get, io: Io): Promise<string> {
  const [status, health] = await Promise.all([get('/v1/pod/status'), taskHealth(get)]);
  const rows = taskRows(status.body as PodStatusJson, health);
  return l.json ? toJson(rows) : renderTaskRows(rows, await io.colors());
}

/** `svc describe`, as commands/service/describe.ts builds it for a service installed here. */
async function describe(l: Line, get: Get, io: Io, { home, base }: Service): Promise<string> {
  const [podStatus, names, endpoints, targetId, health] = await Promise.all([
    get('/v1/pod/status'),
    get('/v1/plans'),
    get('/v1/endpoints'),
    get('/v1/configurations/targetId', (s) => s === 200 || s === 404).then((a) => (a.status === 404 ? null : ((a.body as string[])[0] ?? null))),
    taskHealth(get),
  ]);
  const plans = await Promise.all((names.body as string[]).map(async (name) => ({ name, status: ((await get(`/v1/plans/${seg(name)}`, planOk)).body as { status: string }).status })));
  const d = describeService({
    url: base.replace(/\/+$/, ''),
    pid: home.schedulerPid() ?? null,
    source: home.info()?.source ?? null,
    podStatus: podStatus.body as PodStatusJson,
    plans,
    targetId,
    endpoints: endpoints.body as string[],
    taskNotes: failureNotes(health.values()),
  });
  return l.json ? toJson(d) : renderDescription(d, await io.colors());
}

async function property(l: Line, get: Get): Promise<string> {
  const a = await get(`/v1/state/properties/${seg(l.words[2])}`);
  return typeof a.body === 'string' && !l.json ? `${a.body}\n` : json(a);
}

async function endpoints(l: Line, get: Get): Promise<string> {
  const a = await get(l.words[1] === undefined ? '/v1/endpoints' : `/v1/endpoints/${seg(l.words[1])}`);
  return typeof a.body === 'string' ? `${a.body}\n` : json(a);
}

/**
 * `svc services`: the installed services, each probed as the launcher's services() does (a GET of
 * /v1/health, then /v1/tasks for a crash loop). Declined — undefined — when a probe gets no answer,
 * a scheduler speaks https, or none is installed: the full program says those.
 */
async function services(l: Line, env: Readonly<Record<string, string | undefined>>): Promise<number | undefined> {
  const io = processIo(env);
  try {
    const { listServices } = await import('../launcher/home.js'); // as deps.ts: not for --version
    const list = await Promise.all(listServices(makeDeps(io, env).svcHome()).map(summary));
    if (list.some((s) => s === undefined) || list.length === 0) return undefined;
    const rows = list as ServiceSummary[];
    if (l.json) io.out(toJson(rows));
    else {
      const c = await io.colors();
      io.out(renderTable(['NAME', 'STATUS', 'URL'], rows.map((s) => [s.name, s.status, s.url ?? '-']), { header: c.bold, cell: (col, t) => (col === 1 ? c.status(t) : t) }));
    }
    return 0;
  } catch {
    return undefined;
  }
}

const BAD_JSON = Symbol('bad JSON');
/** A body as the client reads it: JSON when it says so, else its text; BAD_JSON when that JSON does not parse. */
function jsonOf(res: { contentType: string; text: string }): unknown {
  if (!res.contentType.includes('json') || !res.text) return res.text;
  try {
    return JSON.parse(res.text) as unknown;
  } catch {
    return BAD_JSON;
  }
}

async function summary(home: ServiceHome): Promise<ServiceSummary | undefined> {
  const pid = home.schedulerPid();
  const alive = pidAlive(pid);
  const url = alive ? (home.apiUrl() ?? null) : null;
  let status = statusOfHome(home, url) ?? 'DOWN';
  if (url && status === 'DOWN') {
    if (!url.startsWith('http:')) return undefined;
    const base = url.replace(/\/+$/, '');
    const headers = { authorization: `token=${home.token()}` };
    // as the client's health probe (3 s): every code is an answer, but one whose JSON does not parse
    // is none; no answer in time and the full program probes again
    const health = await leanGet(`${base}/v1/health`, headers, 3_000);
    status = jsonOf(health) === BAD_JSON ? 'DOWN' : statusOfHealth(health.status);
    if (status !== 'DOWN' && status !== 'FAILING') {
      // a crash loop shows in the tasks: an error or unreadable answer says none, anything but a list throws
      const tasks = await leanGet(`${base}/v1/tasks`, headers);
      const body = is2xx(tasks.status) ? jsonOf(tasks) : BAD_JSON;
      if (body !== BAD_JSON && (body as Array<{ failing?: boolean }>).some((t) => t.failing)) status = 'FAILING';
    }
  }
  return { name: home.name, status, url, pid: alive ? (pid ?? null) : null, home: home.root };
}

/**
 * Runs `argv` if it is a command line of the lean path and everything goes well; returns its exit
 * code, or undefined when the full program must run it (nothing has been written then).
 */
export async function fastMain(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number | undefined> {
  // SVC_URL and its token options, TLS and --verbose are the full program's
  if (env.SVC_FAST === '0' || env.SVC_URL) return undefined;
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
    process.stdout.write(`${typeof SVC_VERSION === 'string' ? SVC_VERSION : 'dev'}\n`);
    return 0;
  }
  const line = parseLine(args);
  if (!line) return undefined;
  const [group = '', verb = ''] = line.words;
  if (line.words.length === 1 && line.words[0] === 'services' && line.name === undefined) return services(line, env);
  const route = ROUTES.get(`${GROUP_ALIASES.get(group) ?? group} ${verb}`) ?? ROUTES.get(group);
  if (!route) return undefined;
  const io = processIo(env);
  try {
    // the installed service the options name, if its scheduler runs and answers over plain http
    const home = await selectHome(makeDeps(io, env), { name: line.name });
    const base = home.apiUrl();
    if (!base?.startsWith('http:') || !pidAlive(home.schedulerPid())) return undefined;
    const headers = { authorization: `token=${home.token()}` };
    const get: Get = async (path, ok = (s) => s === 200) => {
      const res = await leanGet(`${base}${path}`, headers);
      if (!ok(res.status)) throw new Error(`${path}: ${res.status}`);
      return { status: res.status, text: res.text, body: res.contentType.includes('json') && res.text ? JSON.parse(res.text) : res.text };
    };
    const out = await route(line, get, io, { home, base });
    if (out === undefined) return undefined;
    io.out(out);
    return 0;
  } catch {
    return undefined; // not installed, not running, 404…: the full program says it properly
  }
}

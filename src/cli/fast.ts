// The lean path of `svc` for the read commands an operator types most: one GET to the scheduler and
// its rendering, without commander or the command tree (bin/svc loads this bundle first; see
// build.mjs). It takes only plain command lines; anything else — another command or option, --url,
// an error of any kind — returns undefined and the full program (main.ts) runs the command line from
// scratch, so every message, exit code and help stays in one place. Output is byte-identical to the
// full program's (test/cli/fast-path.test.ts).
import { pidAlive } from '../util/fs.js';
import { makeDeps, selectHome } from './deps.js';
import { processIo, type Io } from './io.js';
import { leanGet } from './lean-get.js';
import { reindentJson } from './render/json.js';
import { renderPlanTree, renderPodInstanceTree, renderPodTree } from './render/tree.js';
import { failureNotes } from './task-health.js';
import type { OffersJson, TaskHealthJson } from '../client/index.js';
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

/** The scheduler's answer to a GET: its text (re-indented for printing) and its parsed JSON. */
interface Answer {
  readonly text: string;
  readonly body: unknown;
}
type Get = (path: string, ok?: readonly number[]) => Promise<Answer>;
type Route = (line: Line, get: Get, io: Io) => Promise<string> | undefined;

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
}));

/** The groups' aliases (`svc plans list`), as the full program registers them. */
const GROUP_ALIASES: ReadonlyMap<string, string> = new Map([
  ['plans', 'plan'],
  ['pods', 'pod'],
  ['configs', 'config'],
]);

const json = (a: Answer): string => reindentJson(a.text);

async function planShow(l: Line, get: Get, io: Io): Promise<string> {
  // as the client: a plan in progress answers 202, one in error 417
  const a = await get(`/v1/plans/${seg(l.words[2])}`, [200, 202, 417]);
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


async function property(l: Line, get: Get): Promise<string> {
  const a = await get(`/v1/state/properties/${seg(l.words[2])}`);
  return typeof a.body === 'string' && !l.json ? `${a.body}\n` : json(a);
}

async function endpoints(l: Line, get: Get): Promise<string> {
  const a = await get(l.words[1] === undefined ? '/v1/endpoints' : `/v1/endpoints/${seg(l.words[1])}`);
  return typeof a.body === 'string' ? `${a.body}\n` : json(a);
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
  const route = ROUTES.get(`${GROUP_ALIASES.get(group) ?? group} ${verb}`) ?? ROUTES.get(group);
  if (!route) return undefined;
  const io = processIo(env);
  try {
    // the installed service the options name, if its scheduler runs and answers over plain http
    const home = await selectHome(makeDeps(io, env), { name: line.name });
    const base = home.apiUrl();
    if (!base?.startsWith('http:') || !pidAlive(home.schedulerPid())) return undefined;
    const headers = { authorization: `token=${home.token()}` };
    const get: Get = async (path, ok = [200]) => {
      const res = await leanGet(`${base}${path}`, headers);
      if (!ok.includes(res.status)) throw new Error(`${path}: ${res.status}`);
      return { text: res.text, body: res.contentType.includes('json') && res.text ? JSON.parse(res.text) : res.text };
    };
    const out = await route(line, get, io);
    if (out === undefined) return undefined;
    io.out(out);
    return 0;
  } catch {
    return undefined; // not installed, not running, 404…: the full program says it properly
  }
}

// Service-level resources: endpoints, configurations, state, artifacts, health, uninstall
// (rest-api.md §4–§8), plus our task exec and logs (run by the engine).
import type { SchedulerView } from '../scheduler-view.js';
import { healthOf } from '../health.js';
import type { ServerResponse } from 'node:http';
import { NoTaskOutput, type ExecSession } from '../../engine/types.js';
import { podAddress } from '../../scheduler/pod-address.js';
import { instanceOf } from '../../plan/index.js';
import type { TaskRecord } from '../../state/index.js';
import { json, notFound, parseJson, route, text, type Reply, type Route } from '../route.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FILE_PREFIX = 'file-';
const MAX_FILE_BYTES = 1024;

/** The text of the `file` part of a multipart/form-data upload (parsed by the platform's Response), if any. */
async function uploadedFile(body: string, contentType: string | undefined): Promise<string | undefined> {
  if (!contentType?.startsWith('multipart/form-data')) return undefined;
  try {
    const part = (await new Response(body, { headers: { 'content-type': contentType } }).formData()).get('file');
    return part === null ? undefined : typeof part === 'string' ? part : await part.text();
  } catch {
    return undefined; // not a well-formed multipart body
  }
}

export function serviceRoutes(s: SchedulerView): Route[] {
  const store = s.state;
  const zoneOf = (agentId: string | undefined) => s.agents().find((a) => a.id === agentId)?.zone;
  const configJson = (id: string) => {
    const c = store.config(id);
    return c === undefined ? undefined : (JSON.parse(c) as unknown);
  };
  return [
    route('GET', '/v1/endpoints', () => json([...s.endpoints().keys()].sort())),
    route('GET', '/v1/endpoints/:name', ([name]) => {
      const e = s.endpoints().get(name);
      return e ? json(e) : text('', 404);
    }),
    route('GET', '/v1/configurations', () => json(store.configIds())),
    route('GET', '/v1/configurations/targetId', () => (s.configId ? json([s.configId]) : text('', 404))),
    route('GET', '/v1/configurations/target', () => json(configJson(s.configId) ?? s.spec)),
    route('GET', '/v1/configurations/:id', ([id]) => {
      if (!UUID.test(id)) return text('', 400);
      const c = configJson(id);
      return c === undefined ? text('', 404) : json(c);
    }),
    route('GET', '/v1/state/frameworkId', () => {
      const id = store.frameworkId();
      return id ? json([id]) : text('', 404);
    }),
    route('GET', '/v1/state/properties', () => json(store.properties())),
    route('GET', '/v1/state/properties/:key', ([key]) => {
      const v = store.property(key);
      return v === undefined ? text('', 404) : { status: 200, json: v };
    }),
    // zones come from the agents the tasks run on (every local agent has one)
    route('GET', '/v1/state/zone/tasks', () => json(Object.fromEntries(s.tasks().flatMap((t) => (zoneOf(t.agentId) ? [[t.name, zoneOf(t.agentId)]] : []))))),
    route('GET', '/v1/state/zone/tasks/:task', ([task]) => {
      const zone = zoneOf(s.state.task(task)?.agentId);
      return zone ? text(zone) : text('', 404);
    }),
    route('GET', '/v1/state/zone/:podType/:ip', ([podType, ip]) => {
      // the task's IP, as the original compared its status's: a pod on a virtual network has its own
      const pod = s.spec.pods.find((p) => p.name === podType);
      const ipOf = (x: TaskRecord) => podAddress(pod, s.state.pod(instanceOf(x))?.reservationId, s.agents().find((a) => a.id === x.agentId), () => s.reservations());
      const t = s.tasks().find((x) => x.podType === podType && ipOf(x) === ip);
      const zone = zoneOf(t?.agentId);
      return zone ? text(zone) : text('', 404);
    }),
    // the state is always read through to disk: there is no cache to refresh
    route('PUT', '/v1/state/refresh', () => json({ message: 'Received cmd: refresh' })),
    // small files for task-side tooling, kept as properties `file-<name>` as the original did
    route('GET', '/v1/state/files', () => text(`[${store.properties().flatMap((k) => (k.startsWith(FILE_PREFIX) ? [k.slice(FILE_PREFIX.length)] : [])).join(', ')}]`)),
    route('GET', '/v1/state/files/:name', ([name]) => {
      const content = store.property(FILE_PREFIX + name);
      return content === undefined ? text('Failed to get the file', 404) : text(content);
    }),
    route('PUT', '/v1/state/files/:name', async ([name], _q, body, headers) => {
      const content = await uploadedFile(body, headers['content-type']);
      if (content === undefined) return text('Missing payload', 400);
      if (Buffer.byteLength(content) > MAX_FILE_BYTES) return text(`Stream exceeds ${MAX_FILE_BYTES} byte size limit`, 400);
      store.setProperty(FILE_PREFIX + name, content);
      return text('');
    }),
    route('GET', '/v1/artifacts/template/:configId/:podType/:task/:config', ([configId, podType, task, config]) => {
      if (!UUID.test(configId)) return text('', 400);
      const spec = configJson(configId) as typeof s.spec | undefined;
      const tpl = spec?.pods.find((p) => p.name === podType)?.tasks.find((t) => t.name === task)?.configs.find((c) => c.name === config);
      return tpl?.content === undefined ? text('', 404) : text(tpl.content);
    }),
    route('GET', '/v1/health', (_p, q) => {
      const h = healthOf(s);
      return json(q.get('verbose') === 'true' ? h : { value: h.value }, h.value);
    }),
    // Ours: run a command in a task (through the engine) and stream its output back, for clients
    // that reach the service over HTTP (NDJSON: {"stdout": ...} / {"stderr": ...} lines, then {"exit": n}).
    route('POST', '/v1/tasks/:task/exec', ([task], _q, body) => {
      const req = parseJson(body) as { cmd?: unknown; args?: unknown } | undefined;
      const args = req?.args ?? [];
      if (!req || typeof req.cmd !== 'string' || !Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
        return text('body must be {"cmd": string, "args": [string, ...]}', 400);
      }
      const session = s.exec(task, { cmd: req.cmd, args }, { tty: false, stdin: 'none' });
      return session ? { status: 200, stream: (res) => streamExec(res, session) } : notFound('Task', task);
    }),
    // Ours: a task's stdout or stderr (through the engine), the last `lines` of it, kept open with `follow`.
    route('GET', '/v1/tasks/:task/logs', ([task], q) => {
      const stream = q.get('stream') ?? 'stdout';
      if (stream !== 'stdout' && stream !== 'stderr') return text(`stream: expected stdout or stderr, got "${stream}"`, 400);
      const linesParam = q.get('lines');
      const lines = linesParam === null ? undefined : Number(linesParam);
      if (lines !== undefined && (!Number.isInteger(lines) || lines < 0)) return text(`lines: expected a number of lines, got "${linesParam}"`, 400);
      const abort = new AbortController();
      const log = s.logs(task, { stream, lines, follow: q.get('follow') === 'true', signal: abort.signal });
      return log ? streamLog(log, abort) : notFound('Task', task);
    }),
    // Ours: run the uninstall plan (the original learned this from Cosmos deleting its app).
    route('POST', '/v1/uninstall', () => {
      s.startUninstall();
      return json({ message: 'Received cmd: uninstall' });
    }),
  ];
}

/** Streams an exec's output as NDJSON; when the client goes, the exec (its whole process group) is killed. */
function streamExec(res: ServerResponse, session: ExecSession): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (o: unknown) => res.write(JSON.stringify(o) + '\n');
  session.stdout?.on('data', (d: Buffer) => line({ stdout: d.toString('utf8') }));
  session.stderr?.on('data', (d: Buffer) => line({ stderr: d.toString('utf8') }));
  res.on('close', () => session.kill());
  // the output is complete once both pipes closed, which the group's end guarantees
  const drained = Promise.all([session.stdout, session.stderr].map((p) => (p ? new Promise((r) => p.once('close', r)) : undefined)));
  return session.exit.then(
    async (code) => {
      await drained;
      line({ exit: code });
    },
    (e: Error) => line({ stderr: `${e.message}\n`, exit: 127 }),
  ).then(() => new Promise<void>((resolve) => res.end(resolve)));
}

/** A task log as text; its first part is read before answering, so a missing log is a 404. */
async function streamLog(log: AsyncIterable<string>, abort: AbortController): Promise<Reply> {
  const it = log[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    first = await it.next();
  } catch (e) {
    if (e instanceof NoTaskOutput) return text(e.message, 404);
    throw e;
  }
  return {
    status: 200,
    stream: async (res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.on('close', () => abort.abort());
      try {
        for (let r = first; !r.done; r = await it.next()) if (r.value) res.write(r.value);
      } finally {
        await it.return?.();
        res.end();
      }
    },
  };
}

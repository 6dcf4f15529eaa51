// Service-level resources: endpoints, configurations, state, artifacts, health, uninstall
// (rest-api.md §4–§8), plus our task exec context.
import type { Scheduler } from '../../scheduler/scheduler.js';
import { healthOf } from '../health.js';
import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { json, notFound, parseJson, route, text, type Route } from '../route.js';
import { containerExecArgv } from '../../engine/local/container-exec.js';

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

export function serviceRoutes(s: Scheduler): Route[] {
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
      const t = s.tasks().find((x) => x.name.startsWith(podType) && s.agents().find((a) => a.id === x.agentId)?.ip === ip);
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
    // Ours: where and with which env a task runs, for `svc task exec` and `svc task log`.
    route('GET', '/v1/tasks/:task/exec', ([task]) => {
      const ctx = s.execContext(task);
      return ctx ? json(ctx) : notFound('Task', task);
    }),
    // Ours: run a command in a task's sandbox and stream its output back, for clients on another
    // machine (NDJSON: {"stdout": ...} / {"stderr": ...} lines, then {"exit": n}).
    route('POST', '/v1/tasks/:task/exec', ([task], _q, body) => {
      const ctx = s.execContext(task);
      if (!ctx) return notFound('Task', task);
      const req = parseJson(body) as { cmd?: unknown; args?: unknown } | undefined;
      const args = req?.args ?? [];
      if (!req || typeof req.cmd !== 'string' || !Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
        return text('body must be {"cmd": string, "args": [string, ...]}', 400);
      }
      return { status: 200, stream: (res) => streamCommand(res, req.cmd as string, args as string[], ctx) };
    }),
    // Ours: run the uninstall plan (the original learned this from Cosmos deleting its app).
    route('POST', '/v1/uninstall', () => {
      s.startUninstall();
      return json({ message: 'Received cmd: uninstall' });
    }),
  ];
}

/** Runs a command with a task's cwd and env, streaming its output as NDJSON; killed if the client goes. */
function streamCommand(res: ServerResponse, cmd: string, args: string[], ctx: { cwd: string; env: Readonly<Record<string, string>> }): Promise<void> {
  return new Promise((resolve) => {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (o: unknown) => res.write(JSON.stringify(o) + '\n');
    const boxed = containerExecArgv(ctx.cwd, cmd, args, false); // a task in a container: run it in there
    const child = spawn(boxed?.file ?? cmd, boxed?.args ?? args, { cwd: ctx.cwd, env: ctx.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => line({ stdout: d.toString('utf8') }));
    child.stderr.on('data', (d: Buffer) => line({ stderr: d.toString('utf8') }));
    res.on('close', () => child.exitCode === null && child.kill('SIGKILL'));
    let ended = false;
    const end = (last: Record<string, unknown>) => {
      if (ended) return;
      ended = true;
      line(last);
      res.end(resolve);
    };
    child.once('error', (e) => end({ stderr: `cannot run ${cmd}: ${e.message}\n`, exit: 127 }));
    child.once('close', (code, signal) => end({ exit: code ?? (signal ? 128 + 9 : 1) }));
  });
}

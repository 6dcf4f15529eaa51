// The simulated API server: the paths, verbs and JSON of the Kubernetes API for the subset svc
// uses (nodes, pods with log and exec, PVCs, ConfigMaps, Secrets, Leases), with list/get/create/
// replace/merge-patch/delete/deletecollection, watches as chunked JSON lines resuming from a
// resourceVersion (an ERROR event with a 410 Status when it is too old), 409 on conflicts and a
// bearer token on every request. Every request is recorded for the golden traffic test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fieldSelector, labelSelector } from './selectors.js';
import { ApiError, Expired, type Change, type KubeObject, type ObjectStore } from './store.js';

export interface ResourceType {
  readonly kind: string;
  readonly apiVersion: string;
  readonly namespaced: boolean;
}

export const RESOURCES: Readonly<Record<string, ResourceType>> = {
  nodes: { kind: 'Node', apiVersion: 'v1', namespaced: false },
  pods: { kind: 'Pod', apiVersion: 'v1', namespaced: true },
  persistentvolumeclaims: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespaced: true },
  configmaps: { kind: 'ConfigMap', apiVersion: 'v1', namespaced: true },
  secrets: { kind: 'Secret', apiVersion: 'v1', namespaced: true },
  leases: { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', namespaced: true },
};

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly watch: boolean;
}

/** What the kubelet does for the server: deletes with grace, exec and logs of a pod's container. */
export interface PodHooks {
  deletePod(ns: string, name: string, graceSeconds: number): KubeObject | undefined;
  exec(pod: KubeObject, req: IncomingMessage, socket: Duplex, query: URLSearchParams): void;
  log(pod: KubeObject, query: URLSearchParams, res: ServerResponse): void;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_BODY = 1024 * 1024;

export class ApiServerSim {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly store: ObjectStore,
    private readonly token: string,
    private readonly hooks: PodHooks,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: Error) => fail(res, e));
    });
    this.server.on('upgrade', (req, socket) => this.upgrade(req, socket));
  }

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.open) res.end();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Ends every open watch (an API server restart, or a load balancer dropping connections). */
  endWatches(): void {
    for (const res of this.open) res.end();
  }

  private authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${this.token}`;
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    this.record(req.method ?? 'GET', url);
    const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/);
    const refuse = (code: number, why: string) => socket.end(`HTTP/1.1 ${code} ${why}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
    if (!this.authorized(req)) return void refuse(401, 'Unauthorized');
    if (!m) return void refuse(404, 'Not Found');
    const pod = this.store.get('pods', m[1], m[2]);
    if (!pod) return void refuse(404, `pods "${m[2]}" not found`);
    this.hooks.exec(pod, req, socket, url.searchParams);
  }

  private record(method: string, url: URL): void {
    const q = url.searchParams;
    this.requests.push({
      method,
      path: url.pathname,
      ...(q.get('labelSelector') ? { labelSelector: q.get('labelSelector') as string } : {}),
      ...(q.get('fieldSelector') ? { fieldSelector: q.get('fieldSelector') as string } : {}),
      watch: q.get('watch') === 'true' || q.get('watch') === '1',
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    this.record(method, url);
    if (!this.authorized(req)) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    const route = parsePath(url.pathname);
    if (!route) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const { resource, ns, name, sub } = route;
    const type = RESOURCES[resource];
    const q = url.searchParams;
    if (sub === 'log') {
      if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on pods/log`);
      const pod = this.store.get('pods', ns, name as string);
      if (!pod) throw new ApiError(404, 'NotFound', `pods "${name}" not found`);
      return this.hooks.log(pod, q, res);
    }
    if (sub === 'exec') throw new ApiError(400, 'BadRequest', 'pods/exec needs a WebSocket upgrade (v4.channel.k8s.io)');
    if (sub) throw new ApiError(404, 'NotFound', `unknown subresource ${sub}`);
    if (name === undefined) {
      if (method === 'GET' && (q.get('watch') === 'true' || q.get('watch') === '1')) return this.watch(resource, ns, q, req, res);
      if (method === 'GET') return send(res, 200, this.listOf(resource, ns, q));
      if (method === 'POST') {
        if (!ns && type.namespaced) throw new ApiError(405, 'MethodNotAllowed', `create ${resource} needs a namespace`);
        const obj = await readBody(req);
        validate(obj, resource, ns);
        return send(res, 201, this.store.create(resource, initial(resource, obj)));
      }
      if (method === 'DELETE') {
        const items = this.listOf(resource, ns, q).items;
        for (const o of items) this.delete(resource, o.metadata.namespace, o.metadata.name, q, undefined);
        return send(res, 200, { kind: `${type.kind}List`, apiVersion: type.apiVersion, metadata: { resourceVersion: this.store.resourceVersion }, items });
      }
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on a collection`);
    }
    const current = () => {
      const o = this.store.get(resource, ns, name);
      if (!o) throw new ApiError(404, 'NotFound', `${resource} "${name}" not found`);
      return o;
    };
    switch (method) {
      case 'GET':
        return send(res, 200, current());
      case 'PUT': {
        const obj = await readBody(req);
        validate(obj, resource, ns);
        if (obj.metadata.name !== name) throw new ApiError(400, 'BadRequest', `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
        return send(res, 200, this.store.update(resource, withKind(resource, obj)));
      }
      case 'PATCH': {
        const ct = String(req.headers['content-type'] ?? '');
        if (!/merge-patch\+json|strategic-merge-patch\+json/.test(ct)) throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json (got "${ct}")`);
        const patch = await readBody(req);
        const merged = mergePatch(current(), patch) as KubeObject;
        validate(merged, resource, ns);
        return send(res, 200, this.store.update(resource, merged));
      }
      case 'DELETE': {
        const body = (await readBody(req, true)) as { gracePeriodSeconds?: number } | undefined;
        current();
        return send(res, 200, this.delete(resource, ns, name, q, body?.gracePeriodSeconds));
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed`);
    }
  }

  private delete(resource: string, ns: string | undefined, name: string, q: URLSearchParams, bodyGrace: number | undefined): KubeObject | undefined {
    if (resource === 'pods') {
      const g = q.get('gracePeriodSeconds');
      const grace = g !== null ? Number(g) : bodyGrace;
      if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw new ApiError(400, 'BadRequest', `gracePeriodSeconds: must be a whole number >= 0, got ${g ?? bodyGrace}`);
      const pod = this.store.get('pods', ns, name);
      return this.hooks.deletePod(ns as string, name, grace ?? pod?.spec?.terminationGracePeriodSeconds ?? 30);
    }
    return this.store.remove(resource, ns, name);
  }

  private listOf(resource: string, ns: string | undefined, q: URLSearchParams) {
    const type = RESOURCES[resource];
    const labels = labelSelector(q.get('labelSelector'));
    const fields = fieldSelector(q.get('fieldSelector'));
    const items = this.store.list(resource, ns).filter((o) => labels(o.metadata.labels ?? {}) && fields(o));
    return { kind: `${type.kind}List`, apiVersion: type.apiVersion, metadata: { resourceVersion: this.store.resourceVersion }, items };
  }

  private watch(resource: string, ns: string | undefined, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
    const labels = labelSelector(q.get('labelSelector'));
    const fields = fieldSelector(q.get('fieldSelector'));
    const matches = (c: Change) => c.resource === resource && (ns === undefined || c.object.metadata.namespace === ns) && labels(c.object.metadata.labels ?? {}) && fields(c.object);
    const rv = q.get('resourceVersion');
    let backlog: Change[];
    try {
      backlog = rv && rv !== '0' ? this.store.since(Number(rv)) : this.store.list(resource, ns).map((object) => ({ rv: 0, resource, type: 'ADDED' as const, object }));
    } catch (e) {
      if (!(e instanceof Expired)) throw e;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', e.message) })}\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const write = (c: Change) => res.write(`${JSON.stringify({ type: c.type, object: c.object })}\n`);
    for (const c of backlog) if (matches(c)) write(c);
    this.open.add(res);
    const unsubscribe = this.store.subscribe((c) => matches(c) && write(c));
    const timeout = Number(q.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      this.open.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }
}

interface Route {
  readonly resource: string;
  readonly ns?: string;
  readonly name?: string;
  readonly sub?: string;
}

function parsePath(path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts[1] === 'coordination.k8s.io' && parts[2] === 'v1') rest = parts.slice(3);
  else return undefined;
  let ns: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    ns = rest[1];
    if (!DNS_LABEL.test(ns)) return undefined;
    rest = rest.slice(2);
  }
  const [resource, name, sub, ...extra] = rest;
  const type = RESOURCES[resource];
  if (!type || extra.length > 0) return undefined;
  if ((parts[0] === 'apis') !== (type.apiVersion !== 'v1')) return undefined;
  if (type.namespaced === false && ns) return undefined;
  if (type.namespaced && !ns && name) return undefined;
  return { resource, ns, name, sub };
}

function validate(obj: KubeObject, resource: string, ns: string | undefined): void {
  const errs: string[] = [];
  const meta = obj?.metadata;
  if (!meta || typeof meta !== 'object') throw new ApiError(422, 'Invalid', `${resource}: metadata: Required value`);
  const name = meta.name ?? '';
  if (!meta.generateName && (!DNS_SUBDOMAIN.test(name) || name.length > 253)) errs.push(`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
  if (resource === 'pods' && name.length > 63) errs.push(`metadata.name: Invalid value: "${name}": must be no more than 63 characters`);
  if (ns && meta.namespace && meta.namespace !== ns) errs.push(`metadata.namespace: Invalid value: "${meta.namespace}": does not match the namespace of the request (${ns})`);
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    try {
      labelSelector(`${k}=${v}`);
    } catch {
      errs.push(`metadata.labels: Invalid value: "${k}=${v}"`);
    }
  }
  if (resource === 'pods' && !Array.isArray(obj.spec?.containers)) errs.push('spec.containers: Required value');
  if (errs.length > 0) throw new ApiError(422, 'Invalid', `${RESOURCES[resource].kind} "${name}" is invalid: ${errs.join(', ')}`);
  if (ns) meta.namespace = ns;
}

function withKind(resource: string, obj: KubeObject): KubeObject {
  const t = RESOURCES[resource];
  return { ...obj, kind: t.kind, apiVersion: t.apiVersion };
}

/** New objects get their kind and the status a controller would give them at once. */
function initial(resource: string, obj: KubeObject): KubeObject {
  const o = withKind(resource, obj);
  Reflect.deleteProperty(o.metadata, 'resourceVersion');
  if (resource === 'pods') o.status = { phase: 'Pending', conditions: [] };
  if (resource === 'persistentvolumeclaims') o.status = { phase: 'Bound', capacity: o.spec?.resources?.requests ?? {} };
  return o;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

async function readBody(req: IncomingMessage, optional = false): Promise<KubeObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', `request body over ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text && optional) return undefined as unknown as KubeObject;
  try {
    return JSON.parse(text) as KubeObject;
  } catch {
    throw new ApiError(400, 'BadRequest', 'the request body is not JSON');
  }
}

export function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function fail(res: ServerResponse, e: Error): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', e.message);
  send(res, err.code, status(err.code, err.reason, err.message));
}

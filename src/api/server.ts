// The scheduler's HTTP API: the original's paths and JSON under /v1/ and /service/<name>/v1/,
// plus our additions. Every request needs the service token.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SchedulerView } from './scheduler-view.js';
import { READ_METHODS, readTokenOf } from './read-token.js';
import type { Reply, Route } from './route.js';
import type { PackageService } from './routes/cosmos.js';
import { routes } from './routes/index.js';

export interface ApiOptions {
  readonly scheduler: SchedulerView;
  readonly token: string;
  readonly host?: string;
  /** Port to try first (the previous run's), falling back to any free port. */
  readonly port?: number;
  readonly log?: (msg: string) => void;
  /** Serve HTTPS with this certificate (PEM) and key instead of HTTP (`svc install --tls`). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Answers the Go CLI's Cosmos calls (routes/cosmos.ts); none when absent. */
  readonly cosmos?: PackageService;
}

export class ApiServer {
  private server?: Server;
  private readonly table: Route[];

  constructor(private readonly opts: ApiOptions) {
    this.table = routes(opts.scheduler, opts.cosmos);
  }

  /** Starts listening; resolves to the base URL. */
  async listen(): Promise<string> {
    const host = this.opts.host ?? '127.0.0.1';
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handle(req, res);
    const server = this.opts.tls ? createHttpsServer({ cert: this.opts.tls.cert, key: this.opts.tls.key }, handler) : createServer(handler);
    server.keepAliveTimeout = 5000;
    this.server = server;
    const tryPort = (port: number) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    try {
      await tryPort(this.opts.port ?? 0);
    } catch (e) {
      if (!this.opts.port) throw e;
      await tryPort(0);
    }
    const addr = server.address() as AddressInfo;
    // a wildcard bind is still reached locally through loopback
    const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
    return `${this.opts.tls ? 'https' : 'http'}://${local}:${addr.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
      if (!this.server) resolve();
    });
  }

  /** The service token may do anything; the tasks' read-only token (read-token.ts) only reads. */
  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^(?:token=|Bearer\s+)(.+)$/i.exec(header.trim());
    if (!m) return false;
    const given = Buffer.from(m[1]);
    const equal = (token: string) => {
      const want = Buffer.from(token);
      return given.length === want.length && timingSafeEqual(given, want);
    };
    return equal(this.opts.token) || (READ_METHODS.has(req.method ?? '') && equal(readTokenOf(this.opts.token)));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    void this.dispatch(req, res).catch((e: Error) => {
      this.opts.log?.(`${req.method} ${req.url} failed: ${e.stack}`);
      if (!res.headersSent) send(res, { status: 500, text: '' });
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!this.authorized(req)) return send(res, { status: 401, text: 'missing or bad token: send Authorization: token=<token>' });
    const path = servicePath(url.pathname, this.opts.scheduler.spec.name);
    if (typeof path !== 'string') return send(res, { status: 404, text: `Service ${path.unknown} not found` });
    let methodMismatch = false;
    for (const route of this.table) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== req.method) {
        methodMismatch = true;
        continue;
      }
      const body = await readBody(req);
      if (body === undefined) return send(res, { status: 413, text: `request body larger than ${MAX_BODY} bytes` });
      let params: string[];
      try {
        params = m.slice(1).map(decodeURIComponent);
      } catch {
        return send(res, { status: 400, text: 'malformed path' });
      }
      const reply = await route.handle(params, url.searchParams, body, req.headers);
      if ('stream' in reply) return reply.stream(res);
      return send(res, reply);
    }
    send(res, methodMismatch ? { status: 405, text: 'method not allowed' } : { status: 404, text: `no such resource: ${path}` });
  }
}

/**
 * The single-service path a request names: a DC/OS-style router prefix (`/service/<name>/v1/...`)
 * is stripped, and so is a multi-service scheduler's (`/v1/service/<sanitized name>/...`, §11),
 * which this scheduler answers for its own service only.
 */
export function servicePath(path: string, serviceName: string): string | { unknown: string } {
  const routed = `/service/${serviceName.replace(/^\//, '')}/`;
  if (path.startsWith(routed)) return path.slice(routed.length - 1);
  const multi = /^\/v1\/service\/([^/]+)(\/.*)$/.exec(path);
  if (!multi) return path;
  return multi[1] === sanitized(serviceName) ? `/v1${multi[2]}` : { unknown: multi[1] };
}

/** A service name as multi-service paths spell it: no leading or trailing `/`, inner ones as `.`. */
const sanitized = (name: string) => name.replace(/^\/+|\/+$/g, '').replace(/\//g, '.');

const MAX_BODY = 64 * 1024;

/** The request body as text, or undefined when it exceeds MAX_BODY. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Exclude<Reply, { stream: unknown }>): void {
  if ('json' in reply) {
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(reply.json, null, 2));
  } else {
    res.writeHead(reply.status, { 'content-type': 'text/plain' });
    res.end(reply.text);
  }
}

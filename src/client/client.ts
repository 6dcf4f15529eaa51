// A small typed client for the scheduler API (ours or the original's). It speaks HTTP with
// node:http/https directly rather than undici or global fetch: see bench/client.ts for the import
// and per-request cost of each (`npm run bench -- --only client`).
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { PlanJson } from '../plan/json.js';
import { ApiError, TimeoutError, UnreachableError } from './errors.js';

/** How long to wait for the TCP (and TLS) connection to the scheduler. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** How long to wait for a whole answer once connected; a scheduler answers in milliseconds. */
export const RESPONSE_TIMEOUT_MS = 30_000;
/** A health probe (svc services) gives up sooner: one hung scheduler must not hold up the list. */
const PROBE_TIMEOUT_MS = 3_000;

export interface ClientOptions {
  /** Base URL, e.g. http://127.0.0.1:41234 or https://cluster/service/hello-world */
  readonly url: string;
  readonly token?: string;
  /** Called with one line per request and response (for --verbose). */
  readonly trace?: (line: string) => void;
  /** A CA to trust for https besides the system's (svc's own CA, for schedulers installed with --tls). */
  readonly ca?: string;
  /** Default CONNECT_TIMEOUT_MS. */
  readonly connectTimeoutMs?: number;
  /** Default RESPONSE_TIMEOUT_MS. */
  readonly responseTimeoutMs?: number;
}

export interface Response<T> {
  readonly status: number;
  readonly body: T;
  /** The body as sent, for printing JSON exactly as the scheduler wrote it. */
  readonly text: string;
}

export interface PodStatusJson {
  service: string;
  pods?: Array<{ name: string; instances: Array<{ name: string; tasks: Array<{ id: string; name: string; status?: string }> }> }>;
}

export interface PodInstanceStatusJson {
  name: string;
  tasks: Array<{ id: string; name: string; status?: string }>;
}

/** One task of GET /v1/tasks (ours). */
export interface TaskHealthJson {
  name: string;
  pod: string;
  status?: string;
  message?: string;
  lastFailure?: string;
  failures: number;
  /** A crash loop: it failed again after a relaunch and has not run long since (absent from older schedulers). */
  failing?: boolean;
}

export interface EndpointJson {
  address: string[];
  dns: string[];
  vip?: string;
}

/** One placement evaluation of GET /v2/debug/offers. */
export interface OfferEvaluationJson {
  timestamp: number;
  'pod-instance-name': string;
  outcome: 'pass' | 'fail';
  explanation: string[];
  offer?: string;
}

/** GET /v2/debug/offers: the last evaluations with counters (rest-api.md §10). */
export interface OffersJson {
  acceptedCount: number;
  rejectedCount: number;
  failureReasons: Record<string, number>;
  rejectedAgents?: Record<string, number>;
  offers: OfferEvaluationJson[];
}

/** Any JSON value, as the API sends it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export class SvcClient {
  constructor(private readonly opts: ClientOptions) {}

  get token(): string | undefined {
    return this.opts.token;
  }

  get ca(): string | undefined {
    return this.opts.ca;
  }

  get baseUrl(): string {
    return this.opts.url.replace(/\/+$/, '');
  }

  /**
   * Sends a request; statuses in `ok` (default: 2xx) resolve, others throw ApiError. The whole
   * answer must arrive within `responseTimeoutMs` of connecting, or TimeoutError says so.
   */
  async call<T>(method: 'GET' | 'POST', path: string, ok: (status: number) => boolean = (s) => s >= 200 && s < 300, body?: unknown, responseTimeoutMs?: number): Promise<Response<T>> {
    const url = `${this.baseUrl}${path}`;
    this.opts.trace?.(`HTTP Query: ${method} ${url}`);
    const limit = responseTimeoutMs ?? this.opts.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS;
    const { res, answered, timedOut } = await this.open(method, url, body === undefined ? undefined : JSON.stringify(body), limit);
    const text = await readAll(res)
      .catch((e: NodeJS.ErrnoException) => {
        throw timedOut() ?? new UnreachableError(url, e.code ?? e.message); // the connection broke mid-answer
      })
      .finally(answered);
    const status = res.statusCode ?? 0;
    this.opts.trace?.(`Response: ${status} (${text.length} bytes)`);
    if (!ok(status)) throw new ApiError(status, text, method, url);
    const type = String(res.headers['content-type'] ?? '');
    return { status, text, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
  }

  /**
   * Sends a request with the token (and a JSON body); resolves to the response, unread. The connect
   * timeout runs until the socket is connected; the response timeout from then until `answered()`
   * is called (after the body is read, or once the headers are in for a stream).
   */
  private open(method: string, url: string, body: string | undefined, responseTimeoutMs: number): Promise<Opened> {
    const headers: Record<string, string> = {};
    if (this.opts.token) headers.authorization = `token=${this.opts.token}`;
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
    const connectMs = this.opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const request = url.startsWith('https:') ? httpsRequest : httpRequest;
      let timer: NodeJS.Timeout | undefined;
      let timeout: TimeoutError | undefined;
      const answered = () => clearTimeout(timer);
      const fail = (e: TimeoutError) => {
        timeout = e;
        req.destroy(e); // also ends a response being read
        reject(e);
      };
      const tls = url.startsWith('https:') && this.opts.ca ? { ca: [...rootCertificates, this.opts.ca] } : {};
      const req: ClientRequest = request(url, { method, headers, ...tls }, (res) => resolve({ res, answered, timedOut: () => timeout }));
      timer = setTimeout(() => fail(new TimeoutError(url, 'connect', connectMs)), connectMs);
      req.on('socket', (socket) => {
        const connected = () => {
          clearTimeout(timer);
          timer = setTimeout(() => fail(new TimeoutError(url, 'response', responseTimeoutMs)), responseTimeoutMs);
        };
        // a reused or already-connected socket has no connect event to wait for
        if (socket.connecting) socket.once(url.startsWith('https:') ? 'secureConnect' : 'connect', connected);
        else connected();
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(e instanceof TimeoutError ? e : new UnreachableError(url, e.code ?? e.message));
      });
      req.end(body);
    });
  }

  plans(): Promise<Response<string[]>> {
    return this.call('GET', '/v1/plans');
  }
  /** A plan; 202 (in progress) and 417 (errors) carry the plan too. */
  plan(name: string): Promise<Response<PlanJson>> {
    return this.call('GET', `/v1/plans/${encodeURIComponent(name)}`, (s) => s === 200 || s === 202 || s === 417);
  }
  /** A plan command; 208 (already done) is an answer the CLI explains, not a failure. */
  planCommand(name: string, command: 'start' | 'stop' | 'interrupt' | 'continue' | 'forceComplete' | 'restart', query: { phase?: string; step?: string } = {}, body?: Record<string, string>): Promise<Response<{ message: string } | string>> {
    return this.call('POST', `/v1/plans/${encodeURIComponent(name)}/${command}${queryOf(query)}`, (st) => (st >= 200 && st < 300) || st === 208, command === 'start' ? (body ?? {}) : undefined);
  }
  pods(): Promise<Response<string[]>> {
    return this.call('GET', '/v1/pod');
  }
  podStatus(): Promise<Response<PodStatusJson>> {
    return this.call('GET', '/v1/pod/status');
  }
  podInstanceStatus(pod: string): Promise<Response<PodInstanceStatusJson>> {
    return this.call('GET', `/v1/pod/${encodeURIComponent(pod)}/status`);
  }
  /** Health is its status code; every code is an answer. */
  health(): Promise<Response<{ value: number }>> {
    return this.call('GET', '/v1/health', () => true, undefined, Math.min(PROBE_TIMEOUT_MS, this.opts.responseTimeoutMs ?? PROBE_TIMEOUT_MS));
  }
  /** Ours: every task's state, last status message and consecutive failures. */
  tasks(): Promise<Response<TaskHealthJson[]>> {
    return this.call('GET', '/v1/tasks');
  }
  podAction(pod: string, action: 'restart' | 'replace' | 'pause' | 'resume', tasks?: readonly string[]): Promise<Response<{ pod: string; tasks: string[] }>> {
    return this.call('POST', `/v1/pod/${encodeURIComponent(pod)}/${action}`, undefined, tasks && tasks.length > 0 ? tasks : undefined);
  }
  endpoints(): Promise<Response<string[]>> {
    return this.call('GET', '/v1/endpoints');
  }
  endpoint(name: string): Promise<Response<EndpointJson | string>> {
    return this.call('GET', `/v1/endpoints/${encodeURIComponent(name)}`);
  }
  /** Each task of a pod instance as {info, status} (Mesos TaskInfo/TaskStatus JSON). */
  podInfo(pod: string): Promise<Response<JsonValue>> {
    return this.call('GET', `/v1/pod/${encodeURIComponent(pod)}/info`);
  }
  /** Ids of every stored configuration. */
  configurations(): Promise<Response<string[]>> {
    return this.call('GET', '/v1/configurations');
  }
  configuration(id: string): Promise<Response<JsonValue>> {
    return this.call('GET', `/v1/configurations/${encodeURIComponent(id)}`);
  }
  configTarget(): Promise<Response<JsonValue>> {
    return this.call('GET', '/v1/configurations/target');
  }
  /** A one-element array holding the target configuration's id. */
  configTargetId(): Promise<Response<string[]>> {
    return this.call('GET', '/v1/configurations/targetId');
  }
  /** A one-element array holding the framework id (404 before registration). */
  frameworkId(): Promise<Response<string[]>> {
    return this.call('GET', '/v1/state/frameworkId');
  }
  properties(): Promise<Response<JsonValue>> {
    return this.call('GET', '/v1/state/properties');
  }
  property(key: string): Promise<Response<JsonValue>> {
    return this.call('GET', `/v1/state/properties/${encodeURIComponent(key)}`);
  }
  debugOffers(): Promise<Response<OffersJson>> {
    return this.call('GET', '/v2/debug/offers');
  }
  debugPlans(filter: DebugFilter = {}): Promise<Response<JsonValue>> {
    return this.call('GET', `/v1/debug/plans${queryOf(filter)}`);
  }
  debugTaskStatuses(filter: DebugFilter = {}): Promise<Response<JsonValue>> {
    return this.call('GET', `/v1/debug/taskStatuses${queryOf(filter)}`);
  }
  debugReservations(): Promise<Response<JsonValue>> {
    return this.call('GET', '/v1/debug/reservations');
  }
  /**
   * Ours: runs a command in a task (the scheduler's engine runs it), passing its output to
   * `onOutput` as it comes; resolves to its exit status.
   */
  execRemote(task: string, cmd: string, args: readonly string[], onOutput: (stream: 'stdout' | 'stderr', text: string) => void): Promise<number> {
    const url = `${this.baseUrl}/v1/tasks/${encodeURIComponent(task)}/exec`;
    const body = JSON.stringify({ cmd, args });
    this.opts.trace?.(`HTTP Query (${body.length} byte payload): POST ${url}`);
    // the response timeout covers the wait for the command to start; its output may take any time
    return this.open('POST', url, body, this.opts.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS).then(async ({ res, answered }) => {
      answered();
      if (res.statusCode !== 200) throw new ApiError(res.statusCode ?? 0, await readAll(res), 'POST', url);
      let buf = '';
      let exit = 1;
      res.setEncoding('utf8');
      for await (const chunk of res as AsyncIterable<string>) {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const msg = JSON.parse(buf.slice(0, nl)) as { stdout?: string; stderr?: string; exit?: number };
          buf = buf.slice(nl + 1);
          if (msg.stdout) onOutput('stdout', msg.stdout);
          if (msg.stderr) onOutput('stderr', msg.stderr);
          if (msg.exit !== undefined) exit = msg.exit;
        }
      }
      return exit;
    });
  }

  /**
   * Ours: a task's stdout or stderr as the scheduler's engine reads it, passed to `onText` as it
   * comes (kept open with `follow`).
   */
  async taskLog(task: string, o: { stream: 'stdout' | 'stderr'; lines?: number; follow: boolean }, onText: (text: string) => void): Promise<void> {
    const path = `/v1/tasks/${encodeURIComponent(task)}/logs${queryOf({ stream: o.stream, lines: o.lines === undefined ? undefined : String(o.lines), follow: o.follow ? 'true' : undefined })}`;
    if (!o.follow) return onText((await this.call<string>('GET', path)).text);
    const url = `${this.baseUrl}${path}`;
    this.opts.trace?.(`HTTP Query: GET ${url}`);
    const { res, answered } = await this.open('GET', url, undefined, this.opts.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS);
    answered(); // a followed log stays open as long as the task writes
    if (res.statusCode !== 200) throw new ApiError(res.statusCode ?? 0, await readAll(res), 'GET', url);
    res.setEncoding('utf8');
    for await (const chunk of res as AsyncIterable<string>) onText(chunk);
  }

  /** Answered at once by a live scheduler; a hung one is given up on sooner, and uninstall sweeps. */
  uninstall(): Promise<Response<{ message: string }>> {
    return this.call('POST', '/v1/uninstall', undefined, undefined, Math.min(PROBE_TIMEOUT_MS * 2, this.opts.responseTimeoutMs ?? Infinity));
  }
}

interface Opened {
  readonly res: IncomingMessage;
  /** Stops the response timeout. */
  readonly answered: () => void;
  /** The timeout that ended the exchange, if one did. */
  readonly timedOut: () => TimeoutError | undefined;
}

async function readAll(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** §10 filters of the debug views: plan, phase and step names. */
export type DebugFilter = { readonly plan?: string; readonly phase?: string; readonly step?: string };

/** `?a=1&b=2` of the parameters that are set, or nothing. */
function queryOf(params: { readonly [name: string]: string | undefined }): string {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => !!e[1])).toString();
  return q ? `?${q}` : '';
}

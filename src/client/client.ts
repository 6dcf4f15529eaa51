// A small typed client for the scheduler API (ours or the original's), over undici.
import { request, type Dispatcher } from 'undici';
import type { PlanJson } from '../plan/json.js';
import { ApiError, UnreachableError } from './errors.js';

export interface ClientOptions {
  /** Base URL, e.g. http://127.0.0.1:41234 or https://cluster/service/hello-world */
  readonly url: string;
  readonly token?: string;
  readonly dispatcher?: Dispatcher;
  /** Called with one line per request and response (for --verbose). */
  readonly trace?: (line: string) => void;
}

export interface Response<T> {
  readonly status: number;
  readonly body: T;
}

export interface PodStatusJson {
  service: string;
  pods?: Array<{ name: string; instances: Array<{ name: string; tasks: Array<{ id: string; name: string; status?: string }> }> }>;
}

export interface PodInstanceStatusJson {
  name: string;
  tasks: Array<{ id: string; name: string; status?: string }>;
}

export class SvcClient {
  constructor(private readonly opts: ClientOptions) {}

  get token(): string | undefined {
    return this.opts.token;
  }

  get baseUrl(): string {
    return this.opts.url.replace(/\/+$/, '');
  }

  /** Sends a request; statuses in `ok` (default: 2xx) resolve, others throw ApiError. */
  async call<T>(method: 'GET' | 'POST', path: string, ok: (status: number) => boolean = (s) => s >= 200 && s < 300, body?: unknown): Promise<Response<T>> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = {};
    if (this.opts.token) headers.authorization = `token=${this.opts.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    this.opts.trace?.(`HTTP Query: ${method} ${url}`);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: this.opts.dispatcher });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new UnreachableError(url, err.code ?? err.message);
    }
    const text = await res.body.text();
    this.opts.trace?.(`Response: ${res.statusCode} (${text.length} bytes)`);
    if (!ok(res.statusCode)) throw new ApiError(res.statusCode, text, method, url);
    const type = String(res.headers['content-type'] ?? '');
    return { status: res.statusCode, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
  }

  plans(): Promise<Response<string[]>> {
    return this.call('GET', '/v1/plans');
  }
  /** A plan; 202 (in progress) and 417 (errors) carry the plan too. */
  plan(name: string): Promise<Response<PlanJson>> {
    return this.call('GET', `/v1/plans/${encodeURIComponent(name)}`, (s) => s === 200 || s === 202 || s === 417);
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
    return this.call('GET', '/v1/health', () => true);
  }
  uninstall(): Promise<Response<{ message: string }>> {
    return this.call('POST', '/v1/uninstall');
  }
}

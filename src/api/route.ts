// A route: method + path pattern → handler returning a reply. Handlers only read from or ask the
// scheduler; the shapes follow reference/rest-api.md.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

export type Reply =
  | { status: number; json: unknown }
  | { status: number; text: string }
  /** A long answer written as it comes (e.g. a command's output): the function owns the response. */
  | { status: number; stream: (res: ServerResponse) => Promise<void> };

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly pattern: RegExp;
  readonly handle: (params: string[], query: URLSearchParams, body: string, headers: IncomingHttpHeaders) => Reply | Promise<Reply>;
}

const SEG = '([^/]+)';

export const route = (method: Route['method'], path: string, handle: Route['handle']): Route => ({
  method,
  pattern: new RegExp(`^${path.replace(/:\w+/g, SEG)}/?$`),
  handle,
});

export const json = (body: unknown, status = 200): Reply => ({ status, json: body });
export const text = (body: string, status = 200): Reply => ({ status, text: body });
export const notFound = (kind: string, name: string): Reply => text(`${kind} ${name} not found`, 404);

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

// A GET over a plain socket, for the lean path of the read commands (fast.ts): node:http costs more
// to load than the whole command's work. HTTP/1.1 with `connection: close`, so the answer ends when
// the socket does; a body by content-length or chunked. Anything unexpected is an error, and the
// caller lets the full program (and its client) do the request instead.
import { connect } from 'node:net';

export interface LeanResponse {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** GETs `url` (http only) with `headers`; rejects on any failure or after `timeoutMs`. */
export function leanGet(url: string, headers: Readonly<Record<string, string>>, timeoutMs = 10_000): Promise<LeanResponse> {
  const u = new URL(url);
  if (u.protocol !== 'http:') return Promise.reject(new Error(`lean GET: not http: ${url}`));
  const lines = [`GET ${u.pathname}${u.search} HTTP/1.1`, `host: ${u.host}`, 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (lines.some((l) => /[\r\n]/.test(l))) return Promise.reject(new Error('lean GET: a header holds a line break'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(u.port || 80), u.hostname.replace(/^\[|\]$/g, ''), () => socket.end(`${lines.join('\r\n')}\r\n\r\n`));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`lean GET ${url}: timed out`)));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** A whole HTTP/1.1 response: status line, headers, and a body by content-length or chunked. */
export function parseResponse(raw: Buffer): LeanResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('lean GET: no end of headers');
  const [statusLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})\b/.exec(statusLine)?.[1];
  if (!status) throw new Error(`lean GET: bad status line ${JSON.stringify(statusLine)}`);
  const headers = new Map(headerLines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  let body = raw.subarray(end + 4);
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) body = unchunk(body);
  else if (headers.has('content-length')) {
    const length = Number(headers.get('content-length'));
    if (!Number.isInteger(length) || body.length !== length) throw new Error('lean GET: body shorter or longer than its content-length');
  }
  return { status: Number(status), contentType: headers.get('content-type') ?? '', text: body.toString('utf8') };
}

function unchunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; ; ) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) throw new Error('lean GET: truncated chunk size');
    const size = Number.parseInt(body.subarray(at, eol).toString('latin1').split(';')[0], 16);
    if (!Number.isInteger(size) || size < 0) throw new Error('lean GET: bad chunk size');
    if (size === 0) return Buffer.concat(parts);
    if (eol + 2 + size + 2 > body.length) throw new Error('lean GET: truncated chunk');
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

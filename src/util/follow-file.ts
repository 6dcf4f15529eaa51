// A file another process appends to, read whole or as its last n lines, then followed (polled, so
// it works across restarts of the writer and on any filesystem) until aborted or the file is
// removed. A truncated file is read again from its start.
import { open, stat } from 'node:fs/promises';
import { lastLines } from './text.js';

export interface FollowOptions {
  /** Only the last n lines of what is there already. */
  readonly lines?: number;
  readonly follow?: boolean;
  readonly signal?: AbortSignal;
}

const POLL_MS = 200;

/** The file's text, then (with `follow`) what is appended to it. The file must exist (ENOENT otherwise). */
export async function* followFile(file: string, o: FollowOptions, pollMs = POLL_MS): AsyncGenerator<string> {
  const fh = await open(file, 'r');
  try {
    const text = (await fh.readFile()).toString('utf8');
    let pos = Buffer.byteLength(text);
    const first = o.lines === undefined ? text : lastLines(text, o.lines);
    if (first) yield first;
    while (o.follow && !o.signal?.aborted) {
      await pause(pollMs, o.signal);
      if (o.signal?.aborted) break;
      const size = await stat(file).then(
        (s) => s.size,
        () => undefined,
      );
      if (size === undefined) return; // removed
      if (size < pos) pos = 0; // truncated
      if (size === pos) continue;
      const buf = Buffer.alloc(size - pos);
      await fh.read(buf, 0, buf.length, pos);
      pos = size;
      yield buf.toString('utf8');
    }
  } finally {
    await fh.close();
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

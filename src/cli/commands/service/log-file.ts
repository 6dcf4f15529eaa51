// The scheduler's log of an installed service, read whole or as its last n lines, and followed
// (polled: the supervisor appends to it across restarts) until aborted or the file goes away.
import { open, stat } from 'node:fs/promises';
import { lastLines } from '../../../util/text.js';

const POLL_MS = 200;

export interface ReadLogOptions {
  lines?: number;
  follow?: boolean;
  signal?: AbortSignal;
}

export async function* readLogFile(file: string, o: ReadLogOptions, pollMs = POLL_MS): AsyncGenerator<string> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // the scheduler has not written yet
    throw e;
  }
  try {
    const text = (await fh.readFile()).toString('utf8');
    let pos = Buffer.byteLength(text);
    const first = o.lines === undefined ? text : lastLines(text, o.lines);
    if (first) yield first;
    while (o.follow && !o.signal?.aborted) {
      await new Promise((r) => setTimeout(r, pollMs));
      const size = await stat(file).then((s) => s.size, () => undefined);
      if (size === undefined) return; // removed: the service was uninstalled
      if (size < pos) pos = 0;
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

// A local task's output: the stdout and stderr files of its sandbox, read whole or as the last n
// lines, and followed (polled: a file the task appends to, possibly truncated) until aborted.
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NoTaskOutput, type LogOptions } from '../types.js';
import { lastLines } from '../../util/text.js';

const POLL_MS = 200;

export async function* readTaskLog(taskName: string, sandbox: string, o: LogOptions, pollMs = POLL_MS): AsyncGenerator<string> {
  const file = join(sandbox, o.stream);
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NoTaskOutput(`${taskName} has no ${o.stream} yet (${file}); has it started? (svc task list)`);
    throw e;
  }
  try {
    const text = (await fh.readFile()).toString('utf8');
    let pos = Buffer.byteLength(text);
    const first = o.lines === undefined ? text : lastLines(text, o.lines);
    if (first) yield first;
    while (o.follow && !o.signal?.aborted) {
      await pause(pollMs, o.signal);
      if (o.signal?.aborted) break;
      const { size } = await stat(file);
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

// Reading (and following) a task's log file.
import { open, stat } from 'node:fs/promises';

export interface ReadLogOptions {
  lines?: number;
  follow: boolean;
  write: (text: string) => void;
  pollMs?: number;
}

export async function readLog(file: string, o: ReadLogOptions): Promise<void> {
  const fh = await open(file, 'r');
  try {
    const text = (await fh.readFile()).toString('utf8');
    let pos = Buffer.byteLength(text);
    o.write(o.lines === undefined ? text : lastLines(text, o.lines));
    while (o.follow) {
      await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
      const { size } = await stat(file);
      if (size < pos) pos = 0; // truncated
      if (size === pos) continue;
      const buf = Buffer.alloc(size - pos);
      await fh.read(buf, 0, buf.length, pos);
      pos = size;
      o.write(buf.toString('utf8'));
    }
  } finally {
    await fh.close();
  }
}

export function lastLines(text: string, n: number): string {
  if (n === 0) return '';
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const tail = lines.slice(-n).join('\n');
  return tail && text.endsWith('\n') ? tail + '\n' : tail;
}

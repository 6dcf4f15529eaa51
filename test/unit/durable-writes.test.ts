// Short writes and a full disk: every durable write loops until all bytes are written, and a write
// that cannot finish leaves the file as it was and refuses the change (memory never runs ahead of disk).
import * as fs from 'node:fs';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePersister } from '../../src/state/index.js';
import { appendDurably, writeFileAtomic, type WriteFs } from '../../src/util/fs.js';

const dirs: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'svc-writes-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Real writes, at most `chunk` bytes each; after `budget` bytes every write fails with ENOSPC. */
function flakyFs(chunk: number, budget = Infinity): WriteFs & { written: number } {
  const io = {
    written: 0,
    writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number {
      const n = Math.min(chunk, length, budget - io.written);
      if (n <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      io.written += n;
      return fs.writeSync(fd, buffer, offset, n);
    },
    fsyncSync: (fd: number) => fs.fsyncSync(fd),
    fstatSync: (fd: number) => fs.fstatSync(fd),
    ftruncateSync: (fd: number, len: number) => fs.ftruncateSync(fd, len),
  };
  return io;
}

describe('durable writes', () => {
  it('writeFileAtomic writes every byte through short writes', () => {
    const file = join(tmp(), 'f.json');
    const text = 'é'.repeat(5000);
    writeFileAtomic(file, text, 0o600, flakyFs(7));
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('writeFileAtomic on a full disk throws and leaves the old file and no temp file', () => {
    const dir = tmp();
    const file = join(dir, 'f.json');
    writeFileSync(file, 'old');
    expect(() => writeFileAtomic(file, 'x'.repeat(1000), 0o600, flakyFs(100, 300))).toThrow(/ENOSPC/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['f.json']);
  });

  it('appendDurably (the executor journal) cuts a failed append back to the last whole line', () => {
    const file = join(tmp(), 'journal.jsonl');
    const fd = openSync(file, 'a');
    appendDurably(fd, '{"seq":1}\n', flakyFs(3));
    expect(() => appendDurably(fd, '{"seq":2,"long":"' + 'x'.repeat(100) + '"}\n', flakyFs(10, 40))).toThrow(/ENOSPC/);
    appendDurably(fd, '{"seq":3}\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('{"seq":1}\n{"seq":3}\n');
  });

  it('the state persister loops through short writes', () => {
    const file = join(tmp(), 'state', 'state.json');
    const p = new FilePersister(file, { fs: flakyFs(5) });
    p.apply([{ set: 'a', value: 'x'.repeat(300) }]);
    p.apply([{ set: 'b', value: '2' }]);
    const again = new FilePersister(file);
    expect(again.get('a')).toBe('x'.repeat(300));
    expect(again.get('b')).toBe('2');
  });

  it('the state persister refuses a transaction the disk cannot take, and recovers when space returns', () => {
    const file = join(tmp(), 'state', 'state.json');
    const io = flakyFs(1 << 20);
    const p = new FilePersister(file, { fs: io });
    p.apply([{ set: 'a', value: '1' }]);
    io.written = 0;
    const full = flakyFs(20, 20);
    Object.assign(io, { writeSync: full.writeSync });
    expect(() => p.apply([{ set: 'b', value: 'y'.repeat(200) }])).toThrow(/ENOSPC/);
    expect(p.get('b')).toBeUndefined(); // memory did not run ahead of disk
    Object.assign(io, { writeSync: flakyFs(1 << 20).writeSync });
    p.apply([{ set: 'c', value: '3' }]);
    // the log has no torn line in the middle: a restart reads it all back
    const again = new FilePersister(file);
    expect([again.get('a'), again.get('b'), again.get('c')]).toEqual(['1', undefined, '3']);
  });
});

import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FilePersister, StateCorruptError } from '../../src/state/index.js';

const dirs: string[] = [];
const tmpFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'svc-state-'));
  dirs.push(dir);
  return join(dir, 'state', 'state.json');
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('FilePersister', () => {
  it('persists multi-key transactions and reads them back after a restart', () => {
    const file = tmpFile();
    const p = new FilePersister(file);
    p.apply([
      { set: 'tasks/a', value: '1' },
      { set: 'tasks/b', value: '2' },
      { set: 'other', value: 'x' },
    ]);
    p.apply([{ delete: 'tasks/a' }]);
    const again = new FilePersister(file);
    expect(again.keys('tasks/')).toEqual(['tasks/b']);
    expect(again.get('other')).toBe('x');
  });

  it('deletes a whole subtree', () => {
    const p = new FilePersister(tmpFile());
    p.apply([{ set: 'pods/a/x', value: '1' }, { set: 'pods/a/y', value: '2' }, { set: 'pods/ab', value: '3' }]);
    p.apply([{ delete: 'pods/a' }]);
    expect(p.keys('pods/')).toEqual(['pods/ab']);
  });

  it('refuses to start on a corrupted snapshot or log, naming the file', () => {
    const file = tmpFile();
    const p = new FilePersister(file, { compactEvery: 2 });
    p.apply([{ set: 'k', value: 'v' }]);
    p.apply([{ set: 'k2', value: 'v2' }]); // compacted into the snapshot
    p.apply([{ set: 'k3', value: 'v3' }]);
    p.apply([{ set: 'k4', value: 'v4' }]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"v2"', '"w2"'));
    expect(() => new FilePersister(file)).toThrow(StateCorruptError);
    expect(() => new FilePersister(file)).toThrow(`state file ${file} is corrupt (checksum mismatch)`);

    const other = tmpFile();
    const q = new FilePersister(other);
    q.apply([{ set: 'a', value: '1' }]);
    q.apply([{ set: 'b', value: '2' }]);
    const log = readFileSync(`${other}.log`, 'utf8');
    writeFileSync(`${other}.log`, log.replace('"1"', '"9"')); // a damaged line that is not the last
    expect(() => new FilePersister(other)).toThrow(`state file ${other}.log is corrupt (checksum mismatch on line 1)`);
  });

  it('treats a torn last log line as a transaction that never happened', () => {
    const file = tmpFile();
    const p = new FilePersister(file);
    p.apply([{ set: 'a', value: '1' }]);
    p.apply([{ set: 'b', value: '2' }]);
    const log = readFileSync(`${file}.log`, 'utf8');
    writeFileSync(`${file}.log`, log.slice(0, log.length - 7)); // kill -9 in the middle of a write
    const again = new FilePersister(file);
    expect(again.get('a')).toBe('1');
    expect(again.get('b')).toBeUndefined();
  });

  it('replays a log already in the snapshot without harm (crash between snapshot and log reset)', () => {
    const file = tmpFile();
    const p = new FilePersister(file);
    p.apply([{ set: 'a', value: '1' }, { delete: 'gone' }]);
    p.apply([{ set: 'a', value: '2' }]);
    const log = readFileSync(`${file}.log`, 'utf8');
    new FilePersister(file); // compacts on open
    writeFileSync(`${file}.log`, log); // as if the reset never happened
    expect(new FilePersister(file).get('a')).toBe('2');
  });

  it('writes a fresh snapshot every compactEvery transactions and keeps the log short', () => {
    const file = tmpFile();
    const p = new FilePersister(file, { compactEvery: 10 });
    for (let i = 0; i < 25; i++) p.apply([{ set: `k/${i}`, value: String(i) }]);
    expect(readFileSync(`${file}.log`, 'utf8').trim().split('\n')).toHaveLength(5);
    expect(new FilePersister(file).keys('k/')).toHaveLength(25);
  });

  it('keeps memory equal to disk when a write fails', () => {
    const file = tmpFile();
    const p = new FilePersister(file);
    p.apply([{ set: 'k', value: 'v' }]);
    Object.defineProperty(p, 'fd', { value: openSync(file, 'r'), writable: true }); // writes now fail
    expect(() => p.apply([{ set: 'k', value: 'changed' }])).toThrow();
    expect(p.get('k')).toBe('v');
  });

  it('survives a full disk: the failed write is refused and the state on disk stays as it was', () => {
    const file = tmpFile();
    const p = new FilePersister(file);
    p.apply([{ set: 'k', value: 'v' }]);
    Object.defineProperty(p, 'fd', { value: openSync('/dev/full', 'w'), writable: true }); // every write: ENOSPC
    expect(() => p.apply([{ set: 'k', value: 'changed' }, { set: 'other', value: 'x' }])).toThrow(/ENOSPC/);
    expect(p.get('k')).toBe('v');
    expect(p.get('other')).toBeUndefined();
    const reread = new FilePersister(file);
    expect([reread.get('k'), reread.get('other')]).toEqual(['v', undefined]);
  });
});

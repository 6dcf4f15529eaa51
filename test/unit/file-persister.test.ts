import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FilePersister, StateCorruptError } from '../../src/state/index.js';

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'svc-state-')), 'state', 'state.json');

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

  it('refuses to start on a corrupted file, naming it', () => {
    const file = tmpFile();
    new FilePersister(file).apply([{ set: 'k', value: 'v' }]);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"v"', '"w"'));
    expect(() => new FilePersister(file)).toThrow(StateCorruptError);
    expect(() => new FilePersister(file)).toThrow(file);
  });

  it('keeps memory equal to disk when a write fails', () => {
    const file = tmpFile();
    const p = new FilePersister(file);
    p.apply([{ set: 'k', value: 'v' }]);
    Object.defineProperty(p, 'file', { value: join(file, 'not-a-dir', 'x.json') });
    expect(() => p.apply([{ set: 'k', value: 'changed' }])).toThrow();
    expect(p.get('k')).toBe('v');
  });
});

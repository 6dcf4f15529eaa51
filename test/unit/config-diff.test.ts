// The dry run of an update: changed values by path (named lists keyed by name), and what each pod does.
import { describe, expect, it } from 'vitest';
import { diffJson, podsThatRoll } from '../../src/launcher/config-diff.js';
import type { ServiceSpec } from '../../src/spec/types.js';

const spec = (pods: Array<{ name: string; count: number; cmd?: string }>) => ({ name: 's', pods: pods.map((p) => ({ name: p.name, count: p.count, tasks: [{ name: 'server', cmd: p.cmd ?? 'run' }] })) }) as unknown as ServiceSpec;

describe('diffJson', () => {
  it('names changed, added and removed leaves by path, keying lists of named things by name', () => {
    expect(diffJson({ a: { b: 1, c: 2 }, list: [{ name: 'x', v: 1 }] }, { a: { b: 1, d: 3 }, list: [{ name: 'x', v: 2 }] })).toEqual([
      { path: 'a.c', from: 2 },
      { path: 'a.d', to: 3 },
      { path: 'list.x.v', from: 1, to: 2 },
    ]);
  });
  it('compares other arrays whole, and finds nothing in equal values', () => {
    expect(diffJson({ uris: ['a'] }, { uris: ['a', 'b'] })).toEqual([{ path: 'uris', from: ['a'], to: ['a', 'b'] }]);
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });
});

describe('podsThatRoll', () => {
  it('restarts the kept instances of a changed pod, deploys added ones, decommissions removed ones', () => {
    const before = spec([{ name: 'web', count: 3 }, { name: 'db', count: 1 }, { name: 'old', count: 2 }]);
    const after = spec([{ name: 'web', count: 2, cmd: 'run --fast' }, { name: 'db', count: 3 }, { name: 'new', count: 1 }]);
    expect(podsThatRoll(before, after)).toEqual([
      'web-0..web-1: restart on the new config',
      'web-2: decommission (count 3 → 2)',
      'db-1..db-2: deploy (count 1 → 3)',
      'new-0: deploy (new pod)',
      'old-0..old-1: decommission (pod removed)',
    ]);
  });
  it('an unchanged spec rolls nothing', () => {
    expect(podsThatRoll(spec([{ name: 'web', count: 2 }]), spec([{ name: 'web', count: 2 }]))).toEqual([]);
  });
});

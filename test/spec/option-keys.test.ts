// Package options that config.json does not declare are reported (a typo no longer keeps the
// default silently), and long issue lists are capped in messages.
import { describe, expect, it } from 'vitest';
import { issueLines, PackageError, renderPackage, SpecError } from '../../src/spec/index.js';
import { unknownOptions } from '../../src/spec/package.js';
import { ROOT } from '../e2e/helpers.js';

const schema = {
  type: 'object',
  properties: {
    service: { type: 'object', properties: { name: { type: 'string' } } },
    memcache: { type: 'object', properties: { count: { type: 'integer' }, cpus: { type: 'number' } } },
    extra: { type: 'object', additionalProperties: { type: 'string' } },
    free: { type: 'object' },
  },
};

describe('unknownOptions', () => {
  it('names each undeclared key with the declared ones beside it', () => {
    expect(unknownOptions(schema, { memcache: { cnt: 2, count: 1 }, servce: {} })).toEqual([
      { path: '/memcache/cnt', message: 'is not an option of this package; options of /memcache: count, cpus' },
      { path: '/servce', message: 'is not an option of this package; options: service, memcache, extra, free' },
    ]);
  });
  it('leaves free-form levels alone', () => {
    expect(unknownOptions(schema, { extra: { anything: 'x' }, free: { a: 1 }, memcache: { count: 2 } })).toEqual([]);
    expect(unknownOptions({ type: 'object', properties: { a: {} }, additionalProperties: false }, { b: 1 })).toEqual([]); // ajv reports it
  });
  it('fails the memcache example on {"memcache":{"cnt":2}}', async () => {
    const err = await renderPackage(`${ROOT}/examples/memcache/package`, { memcache: { cnt: 2 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageError);
    expect((err as Error).message).toContain('- /memcache/cnt: is not an option of this package');
  });
});

describe('issue lists in messages', () => {
  const issues = Array.from({ length: 27 }, (_, i) => ({ path: `pods.p${i}.count`, message: 'must be >= 0' }));
  it('show the first 20 and count the rest; the error keeps them all', () => {
    const e = new SpecError(issues, 'big.yml');
    const lines = e.message.split('\n');
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines[20]).toBe('- pods.p19.count: must be >= 0');
    expect(lines[21]).toBe('- … 7 more');
    expect(e.issues).toHaveLength(27);
  });
  it('show a short list whole', () => {
    expect(issueLines(issues.slice(0, 2))).toBe('- pods.p0.count: must be >= 0\n- pods.p1.count: must be >= 0');
  });
});

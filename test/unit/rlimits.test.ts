// rlimits are set with prlimit (soft and hard in one call) after a check against what this process
// may grant; a limit it cannot grant names the limit, the value asked and the value allowed.
import { describe, expect, it } from 'vitest';
import { rlimitOptions, type LimitsAllowed } from '../../src/engine/local/rlimits.js';

const allowed = (over: Partial<LimitsAllowed> = {}): LimitsAllowed => ({ hard: new Map([['RLIMIT_NOFILE', 20000], ['RLIMIT_CORE', Infinity]]), mayRaise: false, nrOpen: 1048576, ...over });

describe('rlimitOptions', () => {
  it('sets soft and hard together, so a hard limit below the inherited soft one is fine', () => {
    expect(rlimitOptions([{ name: 'RLIMIT_NOFILE', soft: 64, hard: 128 }], allowed())).toEqual({ options: ['--nofile=64:128'] });
  });
  it('passes byte limits as bytes and -1 or absent values as unlimited', () => {
    expect(rlimitOptions([{ name: 'RLIMIT_CORE', soft: -1, hard: -1 }, { name: 'RLIMIT_AS' }], allowed())).toEqual({ options: ['--core=unlimited:unlimited', '--as=unlimited:unlimited'] });
  });
  it('refuses a hard limit above its own without CAP_SYS_RESOURCE, naming limit, asked and allowed', () => {
    expect(rlimitOptions([{ name: 'RLIMIT_NOFILE', soft: 1024, hard: 40000 }], allowed())).toEqual({
      error: 'rlimit RLIMIT_NOFILE cannot be applied: hard limit 40000 asked, at most 20000 allowed (the hard limit svc runs with; raising it needs CAP_SYS_RESOURCE)',
    });
  });
  it('with CAP_SYS_RESOURCE raises hard limits, NOFILE only up to fs.nr_open', () => {
    expect(rlimitOptions([{ name: 'RLIMIT_NOFILE', soft: 1024, hard: 40000 }], allowed({ mayRaise: true }))).toEqual({ options: ['--nofile=1024:40000'] });
    expect(rlimitOptions([{ name: 'RLIMIT_NOFILE', soft: 1024, hard: 2_000_000 }], allowed({ mayRaise: true }))).toEqual({
      error: "rlimit RLIMIT_NOFILE cannot be applied: hard limit 2000000 asked, at most 1048576 allowed (the kernel's fs.nr_open)",
    });
  });
});

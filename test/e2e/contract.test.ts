// The live scheduler's JSON against the examples of the project's own API reference, docs/api.md,
// read at test time: for every documented object, the live response has exactly the documented keys
// (recursively, through nested objects and array elements), except where ALLOWED below says why not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedService, ROOT, waitFor, type ApiReply } from './helpers.js';
import { compareShape, documentedObjects, parseReference, type Example, type Rule } from './reference.js';

const REFERENCE = join(ROOT, 'docs', 'api.md');
const DOC = 'api.md';
const examples = parseReference(readFileSync(REFERENCE, 'utf8'));
const blocks = examples.filter((e) => e.source === 'block');

/** The reference must keep yielding at least this many checked ```json examples. */
const MIN_CHECKED = 21;

type Kind =
  /** the reference itself says the field may be absent */
  | 'optional'
  /** an object keyed by data (metric names, hosts, reasons), not by field names */
  | 'map'
  /** the example is abridged on purpose, and the reference says so */
  | 'abridged'
  /** a difference from the reference that is a bug in our API, reported; remove the row once fixed */
  | 'reported';

/**
 * Every way a live response may differ from the documented keys. `endpoint` is as the parser reads
 * it from the section heading (or table row); `path` is a pattern: `$` the body, `.key`, `[]` any
 * array element, `.*` any map entry. Rows of kind `reported` must still reproduce (the last test
 * fails when one no longer does, so the row gets removed when the bug is fixed).
 */
const ALLOWED: ReadonlyArray<{ endpoint: string; path: string; kind: Kind; rule: Rule; reason: string }> = [
  { endpoint: 'GET /v1/pod/status', path: '$', kind: 'optional', rule: { missing: ['pods'] }, reason: '"pods is absent before any task was launched"' },
  { endpoint: 'GET /v1/pod/status', path: '$.pods[].instances[].tasks[]', kind: 'optional', rule: { missing: ['status'] }, reason: '"a task\'s status is absent until the task has reported one"' },
  { endpoint: 'GET /v1/pod/{pod}/status', path: '$.tasks[]', kind: 'optional', rule: { missing: ['status'] }, reason: '"the same objects as above": status absent before the first one' },
  { endpoint: 'GET /v1/pod/{pod}/info', path: '$[].info', kind: 'optional', rule: { missing: ['discovery'], extra: ['executor', 'healthCheck', 'check', 'killPolicy'] }, reason: 'TaskInfo fields are emitted when set: a task without ports or discovery has none; executor, checks and kill policy are set for the tasks that have them' },
  { endpoint: 'GET /v1/pod/{pod}/info', path: '$[].status', kind: 'optional', rule: { missing: ['message'] }, reason: 'TaskStatus fields are emitted when set: a status may carry no message' },
  { endpoint: 'GET /v1/endpoints/{name}', path: '$', kind: 'optional', rule: { extra: ['vip'] }, reason: '"vip appears only for a port with a VIP"' },
  { endpoint: 'GET /v1/configurations/{id}', path: '$', kind: 'abridged', rule: { only: ['name', 'scheduler', 'role', 'pods', 'plans'] }, reason: '"the test checks its top-level keys": the resolved spec is the svc.yml model' },
  { endpoint: 'GET /v1/pod/{pod}/info', path: '$[].info.resources[]', kind: 'optional', rule: { missing: ['scalar'], extra: ['ranges', 'disk'] }, reason: 'a resource sets scalar, or ranges (ports), and disk for a volume; the example shows only cpus' },
  ...(['gauges', 'counters', 'histograms', 'meters', 'timers'] as const).map((m) => ({
    endpoint: 'GET /v1/metrics',
    path: `$.${m}`,
    kind: 'map' as const,
    rule: { map: true },
    reason: '"each of the five groups is keyed by metric name"; each entry\'s fields are compared',
  })),
  { endpoint: 'GET /v2/debug/offers', path: '$.failureReasons', kind: 'map', rule: { map: true }, reason: '"failureReasons keyed by reason"' },
  { endpoint: 'GET /v2/debug/offers', path: '$.rejectedAgents', kind: 'map', rule: { map: true }, reason: '"rejectedAgents keyed by agent"' },
  { endpoint: 'GET /v1/debug/reservations', path: '$', kind: 'map', rule: { map: true }, reason: '"keyed by agent hostname"' },
];

/** ```json blocks deliberately not checked, with the reason (every other block must be). */
const SKIPPED: ReadonlyArray<{ endpoint: string; reason: string }> = [];

/** Inline examples (code spans in prose) checked as well, by the endpoint they document. */
const INLINE: readonly string[] = [];

interface Live {
  method: 'GET' | 'POST';
  /** Concrete paths (under /v1 or /v2) that answer with the documented body. */
  paths: (get: (path: string) => Promise<ApiReply>) => Promise<string[]>;
  /** Changes the service: run after the read-only checks. */
  mutates?: boolean;
}

/** How to reach each documented endpoint on the memcache example service. */
const LIVE: Record<string, Live> = {
  'GET /v1/plans': { method: 'GET', paths: async () => ['/v1/plans'] },
  'GET /v1/plans/{plan}': { method: 'GET', paths: async () => ['/v1/plans/deploy', '/v1/plans/flush-all-serial', '/v1/plan'] },
  'GET /v1/pod': { method: 'GET', paths: async () => ['/v1/pod'] },
  'GET /v1/pod/status': { method: 'GET', paths: async () => ['/v1/pod/status'] },
  'GET /v1/pod/{pod}/status': { method: 'GET', paths: async () => ['/v1/pod/cache-0/status'] },
  'GET /v1/pod/{pod}/info': { method: 'GET', paths: async () => ['/v1/pod/cache-0/info'] },
  'GET /v1/endpoints': { method: 'GET', paths: async () => ['/v1/endpoints'] },
  'GET /v1/endpoints/{name}': { method: 'GET', paths: async () => ['/v1/endpoints/memcache'] },
  'GET /v1/configurations': { method: 'GET', paths: async () => ['/v1/configurations'] },
  'GET /v1/configurations/targetId': { method: 'GET', paths: async () => ['/v1/configurations/targetId'] },
  'GET /v1/configurations/{id}': {
    method: 'GET',
    paths: async (get) => ['/v1/configurations/target', `/v1/configurations/${((await get('/v1/configurations/targetId')).body as string[])[0]}`],
  },
  'GET /v1/state/frameworkId': { method: 'GET', paths: async () => ['/v1/state/frameworkId'] },
  'GET /v1/state/properties': { method: 'GET', paths: async () => ['/v1/state/properties'] },
  'GET /v1/health': { method: 'GET', paths: async () => ['/v1/health'] },
  'GET /v1/health?verbose=true': { method: 'GET', paths: async () => ['/v1/health?verbose=true'] },
  'GET /v1/metrics': { method: 'GET', paths: async () => ['/v1/metrics'] },
  'GET /v1/debug/plans': { method: 'GET', paths: async () => ['/v1/debug/plans'] },
  'GET /v1/debug/taskStatuses': { method: 'GET', paths: async () => ['/v1/debug/taskStatuses'] },
  'GET /v1/debug/reservations': { method: 'GET', paths: async () => ['/v1/debug/reservations'] },
  'GET /v2/debug/offers': { method: 'GET', paths: async () => ['/v2/debug/offers'] },
  'POST /v1/pod/{pod}/restart': { method: 'POST', paths: async () => ['/v1/pod/cache-2/restart'], mutates: true },
};

const PREFIXES = ['', '/service/memcache'];

const checked: Example[] = [];
for (const endpoint of INLINE) {
  const found = examples.filter((e) => e.source === 'inline' && e.endpoint === endpoint && e.json !== undefined);
  if (found.length !== 1) throw new Error(`${DOC}: expected one inline JSON example for ${endpoint}, found ${found.length}`);
  checked.push(found[0]);
}
checked.unshift(...blocks.filter((b) => b.json !== undefined && !SKIPPED.some((s) => s.endpoint === b.endpoint)));

const ruleFor = (endpoint: string) => (pattern: string): Rule | undefined => {
  const rows = ALLOWED.filter((a) => a.endpoint === endpoint && a.path === pattern).map((a) => a.rule);
  if (rows.length === 0) return undefined;
  const keys = (pick: (r: Rule) => readonly string[] | undefined) => (rows.some(pick) ? rows.flatMap((r) => pick(r) ?? []) : undefined);
  return {
    missing: keys((r) => r.missing),
    extra: keys((r) => r.extra),
    only: keys((r) => r.only),
    map: rows.some((r) => r.map),
    unreached: rows.some((r) => r.unreached),
  };
};

const memcache = installedService('examples/memcache', 'memcache');
const call = (method: string, path: string): Promise<ApiReply> => memcache.call(path, { method });

/** Per checked example: documented objects reached, rule allowances used, live requests made. */
interface Seen {
  reached: Set<string>;
  used: Set<string>;
  requests: string[];
}
const seen = new Map<Example, Seen>(checked.map((e) => [e, { reached: new Set(), used: new Set(), requests: [] }]));
const seenOf = (e: Example): Seen => seen.get(e) ?? { reached: new Set(), used: new Set(), requests: [] };

async function check(example: Example, prefix: string): Promise<void> {
  const live = LIVE[example.endpoint];
  const get = (path: string) => call('GET', prefix + path);
  const problems: string[] = [];
  const acc = seenOf(example);
  for (const path of await live.paths(get)) {
    const request = `${live.method} ${prefix}${path}`;
    const r = await call(live.method, prefix + path);
    acc.requests.push(request);
    if (r.status < 200 || r.status >= 300 || !r.type.startsWith('application/json')) {
      problems.push(`${request}: HTTP ${r.status} ${r.type}: ${r.text.slice(0, 200)}`);
      continue;
    }
    const c = compareShape(example.json, r.body, ruleFor(example.endpoint));
    problems.push(...c.differences.map((d) => `${request} (${DOC}:${example.line}, ${example.endpoint}): ${d}`));
    for (const p of c.reached) acc.reached.add(p);
    for (const u of c.used) acc.used.add(u);
  }
  expect(problems).toEqual([]);
}

const name = (e: Example) => `${e.endpoint} (${DOC}:${e.line}${e.source === 'inline' ? ', inline' : ''})`;

describe('REST API matches the JSON examples of docs/api.md', () => {
  it('reads every ```json block of the reference: parsed (cleaned where needed) or skipped with a reason, and mapped to a live request', () => {
    const problems: string[] = [];
    for (const b of blocks) {
      const skipped = SKIPPED.some((s) => s.endpoint === b.endpoint);
      if (skipped) continue;
      if (b.json === undefined) problems.push(`${DOC}:${b.line} (${b.endpoint}): not JSON even after cleaning ${b.cleaned.join(', ') || '(none)'}: ${b.error}`);
      else if (!LIVE[b.endpoint]) problems.push(`${DOC}:${b.line} (${b.endpoint}): no live request for this endpoint; add it to LIVE or SKIPPED`);
    }
    for (const s of SKIPPED) if (!blocks.some((b) => b.endpoint === s.endpoint)) problems.push(`SKIPPED names ${s.endpoint}, which has no json block`);
    for (const a of ALLOWED) if (!checked.some((e) => e.endpoint === a.endpoint)) problems.push(`ALLOWED row for ${a.endpoint} ${a.path}: no checked example documents that endpoint`);
    expect(problems).toEqual([]);
    expect(checked.filter((e) => e.source === 'block').length).toBeGreaterThanOrEqual(MIN_CHECKED);
  });

  for (const prefix of PREFIXES) {
    describe(`under "${prefix || '/'}"`, () => {
      for (const e of checked.filter((x) => !LIVE[x.endpoint]?.mutates)) it(name(e), () => check(e, prefix));
    });
  }

  // restarting a pod changes the service: after every read-only check, and once the pod is back
  for (const prefix of PREFIXES) {
    for (const e of checked.filter((x) => LIVE[x.endpoint]?.mutates)) {
      it(`${name(e)} under "${prefix || '/'}"`, async () => {
        const running = async () => {
          const pod = (await call('GET', '/v1/pod/cache-2/status')).body as { tasks?: Array<{ id: string; status?: string }> } | undefined;
          const recovery = await call('GET', '/v1/plans/recovery');
          return recovery.status === 200 && pod?.tasks?.every((x) => x.status === 'RUNNING') ? pod.tasks.map((x) => x.id).join() : '';
        };
        const before = await waitFor('cache-2 running', running, 60_000);
        await check(e, prefix);
        await waitFor('cache-2 relaunched', async () => {
          const now = await running();
          return now && now !== before;
        }, 60_000);
      });
    }
  }

  it(`checked at least ${MIN_CHECKED} endpoint examples under every prefix, reached every documented object, and every "reported" row still reproduces`, () => {
    const problems: string[] = [];
    const blocksChecked = checked.filter((e) => e.source === 'block' && PREFIXES.every((p) => seenOf(e).requests.some((r) => r.startsWith(`${LIVE[e.endpoint].method} ${p}/v`))));
    expect(blocksChecked.length, `json blocks checked: ${blocksChecked.map(name).join('; ')}`).toBeGreaterThanOrEqual(MIN_CHECKED);
    for (const e of checked) {
      const acc = seenOf(e);
      if (acc.requests.length === 0) problems.push(`${name(e)}: never requested`);
      const rules = ruleFor(e.endpoint);
      for (const pattern of documentedObjects(e.json, '$', rules)) {
        if (!acc.reached.has(pattern) && !rules(pattern)?.unreached) problems.push(`${name(e)}: documented object ${pattern} never met live data`);
      }
    }
    for (const a of ALLOWED.filter((x) => x.kind === 'reported')) {
      const acc = [...seen].find(([e]) => e.endpoint === a.endpoint)?.[1];
      const expected = [...(a.rule.missing ?? []).map((k) => `${a.path} missing ${k}`), ...(a.rule.extra ?? []).map((k) => `${a.path} extra ${k}`)];
      for (const u of expected) if (!acc?.used.has(u)) problems.push(`${a.endpoint}: "${u}" no longer differs; remove it from ALLOWED`);
      if (a.rule.unreached && acc?.reached.has(a.path)) problems.push(`${a.endpoint}: ${a.path} now meets live data; remove it from ALLOWED`);
    }
    expect(problems).toEqual([]);
  });
});

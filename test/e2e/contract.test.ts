// The live scheduler's JSON against the examples in reference/rest-api.md, read at test time: for
// every documented object, the live response has exactly the documented keys (recursively, through
// nested objects and array elements), except where ALLOWED below says why not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedService, ROOT, waitFor, type ApiReply } from './helpers.js';
import { compareShape, documentedObjects, parseReference, type Example, type Rule } from './reference.js';

const REFERENCE = join(ROOT, '..', 'shared', 'reference', 'rest-api.md');
const examples = parseReference(readFileSync(REFERENCE, 'utf8'));
const blocks = examples.filter((e) => e.source === 'block');

/** The reference must keep yielding at least this many checked ```json examples. */
const MIN_CHECKED = 8;

type Kind =
  /** the reference itself says the field may be omitted */
  | 'optional'
  /** Mesos protobuf as JSON: every *set* field is emitted, the example is abridged */
  | 'protobuf'
  /** an object keyed by data (metric names, hosts, reasons), not by field names */
  | 'map'
  /** we deliberately differ, and the reference or DESIGN.md allows it */
  | 'ours'
  /** a difference from the reference that is a bug in our API, reported; remove the row once fixed */
  | 'reported';

/**
 * Every way a live response may differ from the documented keys. `endpoint` is as the parser reads
 * it from the section heading (or table row); `path` is a pattern: `$` the body, `.key`, `[]` any
 * array element, `.*` any map entry. Rows of kind `reported` must still reproduce (the last test
 * fails when one no longer does, so the row gets removed when the bug is fixed).
 */
const ALLOWED: ReadonlyArray<{ endpoint: string; path: string; kind: Kind; rule: Rule; reason: string }> = [
  { endpoint: 'GET /v1/pod/status', path: '$', kind: 'optional', rule: { missing: ['pods'] }, reason: '§3.2: "pods is omitted entirely when no tasks are stored"' },
  { endpoint: 'GET /v1/pod/status', path: '$.pods[].instances[].tasks[]', kind: 'optional', rule: { missing: ['status'] }, reason: '§3.2: task "status (omitted when the task has never had a Mesos status)"' },
  { endpoint: 'GET /v1/pod/{pod}/status', path: '$.tasks[]', kind: 'optional', rule: { missing: ['status'] }, reason: '§3.3 is §3.2\'s instance object: status omitted before the first Mesos status' },
  { endpoint: 'GET /v1/endpoints/{name}', path: '$', kind: 'optional', rule: { missing: ['vip'] }, reason: '§4.2: "vip ... present only if the port carries a VIP label"; memcache declares no VIP' },
  { endpoint: 'GET /v1/pod/{pod}/info', path: '$[].info', kind: 'protobuf', rule: { extra: ['command', 'executor', 'healthCheck', 'check', 'killPolicy'] }, reason: '§3.4: "only set optional fields are emitted"; TaskInfo.command, .executor (tests read info.executor), .health_check, .check (the readiness check) and .kill_policy are real Mesos fields, set by us, absent from the abridged example' },
  { endpoint: 'GET /v1/pod/{pod}/info', path: '$[].info.resources[]', kind: 'protobuf', rule: { missing: ['scalar'], extra: ['ranges', 'disk'] }, reason: '§3.4: a Mesos Resource sets scalar, or ranges (ports), and disk for a volume; the example shows only cpus' },
  { endpoint: 'GET /v1/pod/{pod}/info', path: '$[].status', kind: 'protobuf', rule: { extra: ['message', 'slaveId'] }, reason: '§3.4: TaskStatus.message and TaskStatus.slave_id are real Mesos fields (lowerCamelCase), absent from the abridged example' },
  { endpoint: '/v1/configurations', path: '$', kind: 'ours', rule: { only: ['name', 'role'] }, reason: '§5: "a re-implementation may emit its own spec JSON as long as the four routes, the array-wrapped targetId and the status codes match"; ours is the svc.yml model (DESIGN.md, spec)' },
  ...(['gauges', 'counters', 'histograms', 'meters', 'timers'] as const).map((m) => ({
    endpoint: 'GET /v1/metrics',
    path: `$.${m}`,
    kind: 'map' as const,
    rule: { map: true },
    reason: '§9: Dropwizard registry, keyed by metric name; each entry\'s fields ({count}, {value}, timer fields) are compared',
  })),
  { endpoint: 'GET /v2/debug/offers', path: '$.failureReasons', kind: 'map', rule: { map: true }, reason: '§10: keyed by evaluation failure text' },
  { endpoint: 'GET /v2/debug/offers', path: '$.rejectedAgents', kind: 'map', rule: { map: true }, reason: '§10: keyed by agent id' },
  { endpoint: 'GET /v1/debug/reservations', path: '$', kind: 'map', rule: { map: true }, reason: '§10: keyed by agent hostname' },
];

/** ```json blocks deliberately not checked, with the reason (every other block must be). */
const SKIPPED: ReadonlyArray<{ endpoint: string; reason: string }> = [];

/** Inline examples (code spans in prose) checked as well, by the endpoint they document. */
const INLINE = ['GET /v1/pod/{pod}/status', 'GET /v1/debug/taskStatuses', 'GET /v1/debug/reservations'];

interface Live {
  method: 'GET' | 'POST';
  /** Concrete paths (under /v1 or /v2) that answer with the documented body. */
  paths: (get: (path: string) => Promise<ApiReply>) => Promise<string[]>;
  /** Changes the service: run after the read-only checks. */
  mutates?: boolean;
}

/** How to reach each documented endpoint on the memcache example service. */
const LIVE: Record<string, Live> = {
  'GET /v1/plans/{plan}': { method: 'GET', paths: async () => ['/v1/plans/deploy', '/v1/plans/flush-all-serial', '/v1/plan'] },
  'GET /v1/pod/status': { method: 'GET', paths: async () => ['/v1/pod/status'] },
  'GET /v1/pod/{pod}/status': { method: 'GET', paths: async () => ['/v1/pod/cache-0/status'] },
  'GET /v1/pod/{pod}/info': { method: 'GET', paths: async () => ['/v1/pod/cache-0/info'] },
  'GET /v1/endpoints/{name}': { method: 'GET', paths: async () => ['/v1/endpoints/memcache'] },
  '/v1/configurations': {
    method: 'GET',
    paths: async (get) => ['/v1/configurations/target', `/v1/configurations/${((await get('/v1/configurations/targetId')).body as string[])[0]}`],
  },
  'GET /v1/health[?verbose=true]': { method: 'GET', paths: async () => ['/v1/health?verbose=true'] },
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
  if (found.length !== 1) throw new Error(`rest-api.md: expected one inline JSON example for ${endpoint}, found ${found.length}`);
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
const seen = new Map<Example, { reached: Set<string>; used: Set<string>; requests: string[] }>(checked.map((e) => [e, { reached: new Set(), used: new Set(), requests: [] }]));

async function check(example: Example, prefix: string): Promise<void> {
  const live = LIVE[example.endpoint];
  const get = (path: string) => call('GET', prefix + path);
  const problems: string[] = [];
  const acc = seen.get(example)!;
  for (const path of await live.paths(get)) {
    const request = `${live.method} ${prefix}${path}`;
    const r = await call(live.method, prefix + path);
    acc.requests.push(request);
    if (r.status < 200 || r.status >= 300 || !r.type.startsWith('application/json')) {
      problems.push(`${request}: HTTP ${r.status} ${r.type}: ${r.text.slice(0, 200)}`);
      continue;
    }
    const c = compareShape(example.json, r.body, ruleFor(example.endpoint));
    problems.push(...c.differences.map((d) => `${request} (rest-api.md:${example.line}, ${example.endpoint}): ${d}`));
    c.reached.forEach((p) => acc.reached.add(p));
    c.used.forEach((u) => acc.used.add(u));
  }
  expect(problems).toEqual([]);
}

const name = (e: Example) => `${e.endpoint} (rest-api.md:${e.line}${e.source === 'inline' ? ', inline' : ''})`;

describe('REST API matches the JSON examples of rest-api.md', () => {
  it('reads every ```json block of the reference: parsed (cleaned where needed) or skipped with a reason, and mapped to a live request', () => {
    const problems: string[] = [];
    for (const b of blocks) {
      const skipped = SKIPPED.some((s) => s.endpoint === b.endpoint);
      if (skipped) continue;
      if (b.json === undefined) problems.push(`rest-api.md:${b.line} (${b.endpoint}): not JSON even after cleaning ${b.cleaned.join(', ') || '(none)'}: ${b.error}`);
      else if (!LIVE[b.endpoint]) problems.push(`rest-api.md:${b.line} (${b.endpoint}): no live request for this endpoint; add it to LIVE or SKIPPED`);
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
    const blocksChecked = checked.filter((e) => e.source === 'block' && PREFIXES.every((p) => seen.get(e)!.requests.some((r) => r.startsWith(`${LIVE[e.endpoint].method} ${p}/v`))));
    expect(blocksChecked.length, `json blocks checked: ${blocksChecked.map(name).join('; ')}`).toBeGreaterThanOrEqual(MIN_CHECKED);
    for (const e of checked) {
      const acc = seen.get(e)!;
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

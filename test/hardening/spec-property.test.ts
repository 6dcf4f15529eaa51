// Property tests (fast-check) of the spec parser: whatever YAML it is given — random values, random
// spec-shaped trees, real specs with random edits — it returns a spec or throws its own SpecError
// with at least one issue, and it returns promptly. fast-check shrinks any failure to a small case
// and prints the seed to replay it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseServiceSpec, SpecError } from '../../src/spec/index.js';
import { recordReliability } from '../e2e/helpers.js';
import { envNamedIn } from '../spec/helpers.js';
import { FIXTURE_CORPUS as SPECS } from '../upstream.js';

/** Fixed, so CI is reproducible; SVC_PROPERTY_SEED=<n> explores other cases. */
const SEED = Number(process.env.SVC_PROPERTY_SEED ?? 20261125);
/** Far above a normal parse (about 1 ms): a parse this slow is a hang in the making. */
const SLOW_MS = 2000;

/** Parses, and says how it ended; anything but a spec or a SpecError with issues fails the property. */
function outcome(text: string, env: Record<string, string> = {}): 'parsed' | 'rejected' {
  const started = performance.now();
  let result: 'parsed' | 'rejected';
  try {
    parseServiceSpec(text, env, 'svc.yml', { lenient: true });
    result = 'parsed';
  } catch (e) {
    if (!(e instanceof SpecError)) throw new Error(`escaped as ${String(e)}`);
    if (e.issues.length === 0 || e.issues.some((i) => i.message.length === 0)) throw new Error('a SpecError without a message');
    result = 'rejected';
  }
  const ms = performance.now() - started;
  if (ms > SLOW_MS) throw new Error(`took ${Math.round(ms)} ms`);
  return result;
}

/** Field names of the spec language, so random trees reach deep into validation. */
const FIELDS = ['name', 'scheduler', 'principal', 'user', 'pods', 'count', 'placement', 'tasks', 'goal', 'cmd', 'cpus', 'memory', 'ports', 'port', 'advertise', 'vip', 'volume', 'volumes', 'path', 'type', 'size', 'env', 'configs', 'template', 'dest', 'health-check', 'readiness-check', 'interval', 'plans', 'strategy', 'phases', 'pod', 'steps', 'default', 'resource-sets', 'resource-set', 'essential', 'uris', 'discovery', 'prefix', 'rlimits', 'kill-grace-period', 'allow-decommission'];
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 100_000 }), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null), fc.constantFrom('RUNNING', 'ONCE', 'FINISH', 'ROOT', 'MOUNT', 'serial', 'parallel', '[["hostname", "UNIQUE"]]', 'hello', '0', '{{X}}'));
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('object'), tie('array')),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 8 })), tie('tree'), { maxKeys: 6 }),
  array: fc.array(tie('tree'), { maxLength: 4 }),
}));

const corpus = ['helloworld', 'sdk-tests'].flatMap((d) => readdirSync(join(SPECS, d)).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(join(SPECS, d, f), 'utf8')));

describe(`spec parser properties (fast-check, seed ${SEED})`, () => {
  it('random YAML values: a spec or a SpecError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        expect(['parsed', 'rejected']).toContain(outcome(stringify(v)));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('random spec-shaped trees, at the root, in a pod or in a task: a spec or a SpecError', () => {
    const seen = { parsed: 0, rejected: 0 };
    const merge = (v: unknown) => (typeof v === 'object' && v && !Array.isArray(v) ? v : { extra: v });
    fc.assert(
      fc.property(tree, fc.constantFrom('root', 'pod', 'task'), (v, where) => {
        const task = { goal: 'RUNNING', cmd: 'true', cpus: 0.1, memory: 32, ...(where === 'task' ? merge(v) : {}) };
        const pod = { count: 1, tasks: { t: task }, ...(where === 'pod' ? merge(v) : {}) };
        seen[outcome(stringify({ name: 'x', pods: { p: pod }, ...(where === 'root' ? merge(v) : {}) }))]++;
      }),
      { seed: SEED, numRuns: 1500 },
    );
    // the generator reaches both valid specs and rejections
    expect(seen.parsed).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
    recordReliability({ area: 'bad input', what: `fast-check: random spec-shaped trees at the root, in a pod or in a task (seed ${SEED})`, runs: seen.parsed + seen.rejected, result: `${seen.parsed} parsed, ${seen.rejected} rejected with a SpecError, 0 crashes, none slower than ${SLOW_MS} ms` });
  });

  it('real specs with random text spliced in or cut out: a spec or a SpecError', () => {
    const edit = fc.record({
      spec: fc.nat({ max: corpus.length - 1 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      cut: fc.nat({ max: 40 }),
      insert: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('\n  ', ': ', '- ', '{{', '}}', '&a', '*a', '!!binary', '\t', '"', "'", '#', '[', ']', '\n    count: 1e309', '\n    cpus: -1')),
    });
    fc.assert(
      fc.property(edit, ({ spec, at, cut, insert }) => {
        const text = corpus[spec];
        const i = Math.floor(at * text.length);
        const mutant = text.slice(0, i) + insert + text.slice(i + cut);
        expect(['parsed', 'rejected']).toContain(outcome(mutant, envNamedIn(mutant)));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

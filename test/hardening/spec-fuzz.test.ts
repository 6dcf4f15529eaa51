// Fuzzed mutations of the SDK's real specs (the copies in test/fixtures/dcos-commons): every one either parses or is rejected with a SpecError whose
// issues each say something. Nothing else may escape (this found that a huge `count` made the parser
// loop over every instance: counts are now bounded).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServiceSpec, SpecError } from '../../src/spec/index.js';
import { prng, recordReliability } from '../e2e/helpers.js';
import { envNamedIn } from '../spec/helpers.js';
import { FIXTURE_CORPUS as SPECS } from '../upstream.js';

const SEED = 1125;
/** About 6,500 mutations in all over the project's copies of the SDK specs (60 files). */
const CASES_PER_SPEC = 110;

const NASTY = ['-1', '0', '1e309', '"', "'", '{{', '}}', '[', ']', '{', '}', ': :', '&anchor', '*alias', '!!binary x', '~', 'null', 'true', '"; rm -rf /"', '$(touch /tmp/pwned)', '../../etc/passwd', '\t', 'é', '🙂', 'x'.repeat(300)];

/** One random edit of a YAML text. */
function mutate(text: string, r: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  switch (Math.floor(r() * 7)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[i] ?? '');
      break;
    case 2:
      lines[i] = (lines[i] ?? '').replace(/:\s*(\S.*)$/, `: ${pick(NASTY)}`);
      break;
    case 3:
      lines[i] = ` ${lines[i] ?? ''}`;
      break;
    case 4:
      return text.slice(0, Math.floor(r() * text.length));
    case 5:
      lines[i] = (lines[i] ?? '').replace(/\d+/, pick(['-5', '0', '999999999', 'abc', '1.5']));
      break;
    default:
      lines.splice(i, 0, `${' '.repeat(Math.floor(r() * 4) * 2)}${pick(['unknown-field', 'count', 'tasks', 'cmd'])}: ${pick(NASTY)}`);
  }
  return lines.join('\n');
}

describe(`fuzzed specs (seed ${SEED})`, () => {
  const files = ['helloworld', 'sdk-tests'].flatMap((d) => readdirSync(join(SPECS, d)).filter((f) => f.endsWith('.yml')).map((f) => join(SPECS, d, f)));
  it(`${files.length * CASES_PER_SPEC} mutations: a spec or a SpecError, never anything else`, () => {
    const r = prng(SEED);
    let parsed = 0;
    let rejected = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (let n = 0; n < CASES_PER_SPEC; n++) {
        const mutant = mutate(text, r);
        try {
          parseServiceSpec(mutant, envNamedIn(mutant), file, { lenient: true });
          parsed++;
        } catch (e) {
          if (!(e instanceof SpecError)) throw new Error(`${file} mutation ${n} escaped as ${String(e)}:\n${mutant}`);
          expect(e.issues.length).toBeGreaterThan(0);
          for (const issue of e.issues) expect(issue.message.length).toBeGreaterThan(0);
          rejected++;
        }
      }
    }
    expect(parsed + rejected).toBe(files.length * CASES_PER_SPEC);
    expect(rejected).toBeGreaterThan(0);
    expect(parsed).toBeGreaterThan(0);
    recordReliability({ area: 'bad input', what: `fuzzed mutations of ${files.length} corpus specs (seed ${SEED})`, runs: parsed + rejected, result: `${parsed} parsed, ${rejected} rejected with a SpecError naming the problem, 0 crashes` });
  });
});

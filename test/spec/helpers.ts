// Shared test helpers: where the copies of the SDK's specs live, and a builder for small specs.
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { analyzeServiceSpec, parseServiceSpec, type ServiceSpec, type SpecIssue } from '../../src/spec/index.js';
import { FIXTURE_CORPUS } from '../upstream.js';

/** The project's copies of upstream specs (test/fixtures/dcos-commons, see its README). */
export const SDK_TESTS = resolve(FIXTURE_CORPUS, 'sdk-tests');
export const HELLOWORLD = resolve(FIXTURE_CORPUS, 'helloworld');
export const HELLOWORLD_PACKAGE = resolve(FIXTURE_CORPUS, 'helloworld-package');

export type Obj = { [key: string]: unknown };

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep-merges `over` into `base`; an `undefined` value deletes the key. */
export function merge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) delete out[k];
    else out[k] = isObj(out[k]) && isObj(v) ? merge(out[k] as Obj, v) : v;
  }
  return out;
}

/** A valid one-pod, one-task spec (pod `hello`, task `server`) with `over` merged in. */
export function aSpec(over: Obj = {}): Obj {
  const base: Obj = {
    name: 'hello-world',
    pods: { hello: { count: 2, tasks: { server: { goal: 'RUNNING', cmd: './server', cpus: 0.5, memory: 256 } } } },
  };
  return merge(base, over);
}

/** Overrides for task `server` of pod `hello`. */
export const withTask = (task: Obj, pod: Obj = {}): Obj => aSpec({ pods: { hello: { ...pod, tasks: { server: task } } } });
/** Overrides for pod `hello`. */
export const withPod = (pod: Obj): Obj => aSpec({ pods: { hello: pod } });

export const yamlOf = (spec: Obj): string => stringify(spec);

/** Every issue of a spec given as an object or YAML text (strict rendering, empty env unless given). */
export function issuesOf(spec: Obj | string, env: Record<string, string> = {}): readonly SpecIssue[] {
  return analyzeServiceSpec(typeof spec === 'string' ? spec : yamlOf(spec), env, 'svc.yml').issues;
}

export function parsed(spec: Obj | string, env: Record<string, string> = {}): ServiceSpec {
  return parseServiceSpec(typeof spec === 'string' ? spec : yamlOf(spec), env);
}

/** Values for every {{VAR}} a text names, so rendering succeeds and parsing is what gets tested. */
export function envNamedIn(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/\{\{\{?\s*([A-Z0-9_]+)\s*\}?\}\}/g)) out[m[1]] = /PLACEMENT/.test(m[1]) ? '' : '1';
  return out;
}

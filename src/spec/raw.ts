// Strict YAML → an order-preserving raw tree, and `Reader`, a cursor over one mapping of that tree
// that reads typed fields and records every problem with its YAML path.
//
// Scalars stay text (`1.0` stays "1.0", as the original's Jackson coercion keeps it); a plain empty
// scalar, `~` or `null` is null. Duplicate keys are reported at every level.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { SpecIssue } from './types.js';

export type Raw = string | null | RawMap | readonly Raw[];
export type RawMap = ReadonlyMap<string, Raw>;

export const isRawMap = (v: Raw | undefined): v is RawMap => v instanceof Map;

/** Joins a YAML path: `pods` + `hello` → `pods.hello`. */
export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

export function parseYaml(text: string, issues: SpecIssue[]): Raw | undefined {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) issues.push({ path: '', message: `YAML: ${e.message.split('\n')[0].replace(/:$/, '')}` });
    return undefined;
  }
  return toRaw(doc, doc.contents, '', issues);
}

function toRaw(doc: Document, node: Node | null | unknown, path: string, issues: SpecIssue[]): Raw {
  if (isAlias(node)) return toRaw(doc, node.resolve(doc), path, issues);
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return null;
    if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
    return String(node.value);
  }
  if (isSeq(node)) return node.items.map((item, i) => toRaw(doc, item, `${path}[${i}]`, issues));
  if (isMap(node)) {
    const out = new Map<string, Raw>();
    for (const pair of node.items) {
      const key = String(toRaw(doc, pair.key, path, issues) ?? 'null');
      const at = join(path, key);
      if (out.has(key)) issues.push({ path: at, message: 'is defined twice' });
      else out.set(key, toRaw(doc, pair.value, at, issues));
    }
    return out;
  }
  return null;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

export function describe(v: Raw): string {
  if (v === null) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  return isRawMap(v) ? 'a mapping' : 'a list';
}

export interface NumberRules {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** The bound is exclusive: `> min` rather than `>= min`. */
  readonly above?: number;
}

/** Reads the fields of one YAML mapping; every problem lands in `issues` with its path. */
export class Reader {
  constructor(
    readonly issues: SpecIssue[],
    readonly path: string,
    readonly raw: RawMap,
  ) {}

  /** A reader for `v` at `path`, or undefined (and an issue) when `v` is not a mapping. Null reads as empty. */
  static of(issues: SpecIssue[], path: string, v: Raw | undefined): Reader | undefined {
    if (v === null || v === undefined) return new Reader(issues, path, new Map());
    if (!isRawMap(v)) {
      issues.push({ path, message: `must be a mapping, got ${describe(v)}` });
      return undefined;
    }
    return new Reader(issues, path, v);
  }

  at(key: string): string {
    return join(this.path, key);
  }
  fail(key: string, message: string): void {
    this.issues.push({ path: this.at(key), message });
  }
  failHere(message: string): void {
    this.issues.push({ path: this.path, message });
  }
  has(key: string): boolean {
    const v = this.raw.get(key);
    return v !== undefined && v !== null;
  }
  keys(): string[] {
    return [...this.raw.keys()];
  }

  /** Rejects keys this mapping does not know, as the original parser does (everywhere but pods). */
  onlyKeys(known: readonly string[]): void {
    for (const k of this.raw.keys()) if (!known.includes(k)) this.fail(k, 'unknown field');
  }

  /** A string field; `blankIsAbsent` reads "" or spaces as unset (fields whose blank value means "use the default"). */
  str(key: string, opts: { required?: boolean; nonBlank?: boolean; blankIsAbsent?: boolean } = {}): string | undefined {
    const v = this.raw.get(key);
    if (v === undefined || v === null || (opts.blankIsAbsent && typeof v === 'string' && v.trim() === '')) {
      if (opts.required) this.fail(key, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') {
      this.fail(key, `must be a string, got ${describe(v)}`);
      return undefined;
    }
    if ((opts.required || opts.nonBlank) && v.trim() === '') {
      this.fail(key, 'must not be empty');
      return undefined;
    }
    return v;
  }

  num(key: string, dflt: number, rules: NumberRules & { required?: boolean } = {}): number {
    const v = this.raw.get(key);
    if (v === undefined || v === null) {
      if (rules.required) this.fail(key, 'is required');
      return dflt;
    }
    const n = typeof v === 'string' && NUMBER.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isFinite(n)) {
      this.fail(key, `must be ${rules.integer ? 'an integer' : 'a number'}, got ${describe(v)}`);
      return dflt;
    }
    const problem = checkNumber(n, rules);
    if (problem) this.fail(key, problem);
    return n;
  }

  /** Like num, but undefined when absent. */
  optNum(key: string, rules: NumberRules = {}): number | undefined {
    return this.has(key) ? this.num(key, 0, rules) : undefined;
  }

  bool(key: string, dflt: boolean): boolean {
    const v = this.raw.get(key);
    if (v === undefined || v === null) return dflt;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    this.fail(key, `must be true or false, got ${describe(v)}`);
    return dflt;
  }

  /** One of `allowed` (case-insensitive, returned upper-cased). */
  oneOf<T extends string>(key: string, allowed: readonly T[], opts: { required?: boolean } = {}): T | undefined {
    const s = this.str(key, opts);
    if (s === undefined) return undefined;
    const up = s.toUpperCase() as T;
    if (allowed.includes(up)) return up;
    this.fail(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(s)}`);
    return undefined;
  }

  map(key: string): Reader | undefined {
    return this.has(key) ? Reader.of(this.issues, this.at(key), this.raw.get(key)) : undefined;
  }

  /** `name → object` mappings (pods, tasks, ports, …) as [name, reader] in YAML order. */
  entries(key: string): Array<[string, Reader]> {
    return this.map(key)?.children() ?? [];
  }

  /** This mapping's values as [key, reader], each of which must be a mapping (or null). */
  children(): Array<[string, Reader]> {
    return this.keys().flatMap((name): Array<[string, Reader]> => {
      const r = Reader.of(this.issues, this.at(name), this.raw.get(name));
      return r ? [[name, r]] : [];
    });
  }

  list(key: string): readonly Raw[] | undefined {
    const v = this.raw.get(key);
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) {
      this.fail(key, `must be a list, got ${describe(v as Raw)}`);
      return undefined;
    }
    return v as readonly Raw[];
  }

  /** A list of scalars as strings; `[]`-less null is empty. */
  strList(key: string): string[] {
    const items = this.list(key) ?? [];
    return items.flatMap((item, i) => {
      if (typeof item === 'string') return [item];
      this.issues.push({ path: `${this.at(key)}[${i}]`, message: `must be a string, got ${describe(item)}` });
      return [];
    });
  }

  intList(key: string, rules: NumberRules = {}): number[] {
    return this.strList(key).flatMap((s, i) => {
      const n = NUMBER.test(s.trim()) ? Number(s) : NaN;
      const problem = Number.isFinite(n) ? checkNumber(n, { integer: true, ...rules }) : `must be an integer, got ${JSON.stringify(s)}`;
      if (problem) {
        this.issues.push({ path: `${this.at(key)}[${i}]`, message: problem });
        return [];
      }
      return [n];
    });
  }
}

export function checkNumber(n: number, rules: NumberRules): string | undefined {
  if (rules.integer && !Number.isInteger(n)) return `must be an integer, got ${n}`;
  if (rules.above !== undefined && !(n > rules.above)) return `must be > ${rules.above}`;
  if (rules.min !== undefined && n < rules.min) return `must be >= ${rules.min}`;
  if (rules.max !== undefined && n > rules.max) return `must be <= ${rules.max}`;
  return undefined;
}

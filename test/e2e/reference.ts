// Reads the JSON examples out of an API reference in Markdown (docs/api.md) and compares the key structure of live API
// responses with them. Used by contract.test.ts; no network, no processes here.

/** One JSON example of the reference and the endpoint its section (or table row) documents. */
export interface Example {
  /** `block` = a ```json fence; `inline` = a `{...}` / `[...]` code span in prose or a table row. */
  readonly source: 'block' | 'inline';
  /** 1-based line in the reference where the fence or span starts. */
  readonly line: number;
  /** The nearest heading above, without its `#`s. */
  readonly heading: string;
  /** `METHOD /path` (or just `/path`) named in the heading or table row; the heading when none is. */
  readonly endpoint: string;
  readonly raw: string;
  /** What had to be cleaned to parse it (empty when it parsed as written). */
  readonly cleaned: readonly Cleaning[];
  /** The parsed example (after cleaning); undefined when it does not parse even then. */
  readonly json?: unknown;
  readonly error?: string;
}

/**
 * - `comment`: `// ...` to the end of the line (outside strings);
 * - `ellipsis`: a bare `...` or a `"..."` element: dropped from arrays, "any value" (null) as a member value;
 * - `placeholder`: a bare `<...>` outside strings (e.g. `{"value": <same code>}`): "any value" (null);
 * - `trailing-comma`: a `,` left before `]`/`}` by the above.
 */
export type Cleaning = 'comment' | 'ellipsis' | 'placeholder' | 'trailing-comma';

const ELIDED = '\u0000elided';
const ENDPOINT = /`((?:GET|POST|PUT|DELETE)\s+\/[^`]+|\/v\d\/[^`]*)`/;

export function parseReference(md: string): Example[] {
  const lines = md.split('\n');
  const examples: Example[] = [];
  let heading = '';
  let headingEndpoint = '';
  let fence: { lang: string; start: number; body: string[] } | undefined;
  // prose of the current section, fences blanked (keeps line numbers), for inline spans
  let prose: { start: number; lines: string[]; heading: string; endpoint: string } = { start: 1, lines: [], heading, endpoint: '' };
  const flushProse = () => examples.push(...inlineExamples(prose.start, prose.lines, prose.heading, prose.endpoint));

  lines.forEach((text, i) => {
    const lineNo = i + 1;
    const fenceMark = /^```(\S*)\s*$/.exec(text);
    if (fence) {
      if (fenceMark && fenceMark[1] === '') {
        if (fence.lang === 'json') examples.push(example('block', fence.start, heading, headingEndpoint || heading, fence.body.join('\n')));
        fence = undefined;
      } else fence.body.push(text);
      prose.lines.push('');
      return;
    }
    if (fenceMark) {
      fence = { lang: fenceMark[1], start: lineNo, body: [] };
      prose.lines.push('');
      return;
    }
    const h = /^#{1,6}\s+(.*)$/.exec(text);
    if (h) {
      flushProse();
      heading = h[1].trim();
      headingEndpoint = ENDPOINT.exec(heading)?.[1] ?? '';
      prose = { start: lineNo + 1, lines: [], heading, endpoint: headingEndpoint || heading };
      return;
    }
    prose.lines.push(text);
  });
  flushProse();
  return examples.sort((a, b) => a.line - b.line);
}

/** Code spans in a section's prose that look like JSON objects or arrays of objects. */
function inlineExamples(start: number, lines: string[], heading: string, endpoint: string): Example[] {
  const text = lines.join('\n');
  const out: Example[] = [];
  for (const m of text.matchAll(/`([^`]+)`/g)) {
    const raw = m[1];
    if (!/^\s*[[{]/.test(raw) || !/"\s*:/.test(raw)) continue; // not a JSON object (e.g. `["a", "b"]`, `[ip1, ip2]:port`)
    const lineIdx = text.slice(0, m.index).split('\n').length - 1;
    const row = lines[lineIdx];
    const rowEndpoint = row.startsWith('|') ? ENDPOINT.exec(row)?.[1] : undefined;
    out.push(example('inline', start + lineIdx, heading, rowEndpoint ?? endpoint, raw));
  }
  return out;
}

function example(source: Example['source'], line: number, heading: string, endpoint: string, raw: string): Example {
  const base = { source, line, heading, endpoint, raw };
  const notes = new Set<Cleaning>();
  let text = raw;
  try {
    JSON.parse(raw);
  } catch {
    text = clean(raw, notes); // not JSON as written: clean it (see Cleaning) and try again
  }
  try {
    const json = unElide(JSON.parse(text), notes);
    return { ...base, cleaned: [...notes], json };
  } catch (e) {
    return { ...base, cleaned: [...notes], error: (e as Error).message };
  }
}

/** String-aware rewrite of the non-JSON notation the reference uses (see Cleaning). */
function clean(raw: string, notes: Set<Cleaning>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < raw.length; ) {
    const c = raw[i];
    if (inString) {
      if (c === '\\') {
        out += raw.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      out += c;
      i++;
    } else if (c === '"') {
      inString = true;
      out += c;
      i++;
    } else if (raw.startsWith('//', i)) {
      notes.add('comment');
      const eol = raw.indexOf('\n', i);
      i = eol < 0 ? raw.length : eol;
    } else if (raw.startsWith('...', i)) {
      notes.add('ellipsis');
      out += JSON.stringify(ELIDED);
      i += 3;
    } else if (c === '<' && raw.indexOf('>', i) > i) {
      notes.add('placeholder');
      out += 'null';
      i = raw.indexOf('>', i) + 1;
    } else {
      if (c === ']' || c === '}') {
        const trailing = /,\s*$/.exec(out);
        if (trailing) {
          notes.add('trailing-comma');
          out = out.slice(0, trailing.index);
        }
      }
      out += c;
      i++;
    }
  }
  return out;
}

/** Drops elided array elements (`...`, `"..."`); an elided member value means "any value" (null). */
function unElide(v: unknown, notes: Set<Cleaning>): unknown {
  if (Array.isArray(v)) {
    const kept = v.filter((e) => e !== ELIDED && e !== '...');
    if (kept.length !== v.length) notes.add('ellipsis');
    return kept.map((e) => unElide(e, notes));
  }
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, e === ELIDED ? null : unElide(e, notes)]));
  return v;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// Key-structure comparison

/**
 * How to read the documented object at one path (a pattern: `$`, `.key`, `[]` for any array
 * element, `.*` for any entry of a map).
 */
export interface Rule {
  /** Documented keys the live object may lack. */
  readonly missing?: readonly string[];
  /** Live keys the reference does not show, accepted here. */
  readonly extra?: readonly string[];
  /** The object is a map keyed by data (metric names, hosts): compare each entry's value, not the keys. */
  readonly map?: boolean;
  /** Compare only that these documented keys are present; ignore the rest of the object and below. */
  readonly only?: readonly string[];
  /** The documented object here may never meet live data (e.g. an empty map, an empty list). */
  readonly unreached?: boolean;
}

export interface Comparison {
  /** One line per difference, naming the JSON path of the live response. */
  readonly differences: string[];
  /** Patterns of documented objects that were compared with a live object (or excused by a rule). */
  readonly reached: Set<string>;
  /** What the rules let pass: `<pattern> missing <key>`, `<pattern> extra <key>`. */
  readonly used: Set<string>;
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const fmt = (keys: string[]) => `[${keys.join(', ')}]`;
const childPath = (path: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

export function compareShape(doc: unknown, live: unknown, ruleAt: (pattern: string) => Rule | undefined): Comparison {
  const differences: string[] = [];
  const reached = new Set<string>();
  const used = new Set<string>();

  const excuse = (d: unknown, pattern: string) => {
    for (const p of documentedObjects(d, pattern, ruleAt)) reached.add(p);
  };

  const walk = (d: unknown, l: unknown, pattern: string, path: string): void => {
    if (d === null) return; // "any value" in the reference
    if (Array.isArray(d)) {
      if (!Array.isArray(l)) return void differences.push(`${path}: documented as an array, live is ${kind(l)}`);
      // the first documented element describes every live element
      if (d.length > 0) for (const [i, e] of l.entries()) walk(d[0], e, `${pattern}[]`, `${path}[${i}]`);
      return;
    }
    if (!isObject(d)) {
      if (typeof l === 'object' && l !== null) differences.push(`${path}: documented as ${kind(d)}, live is ${kind(l)}`);
      return;
    }
    if (!isObject(l)) return void differences.push(`${path}: documented as an object, live is ${kind(l)}`);
    reached.add(pattern);
    const rule = ruleAt(pattern) ?? {};
    if (rule.only) {
      const lacking = rule.only.filter((k) => !(k in l));
      if (lacking.length) differences.push(`${path}: lacks documented keys ${fmt(lacking)}`);
      excuse(d, pattern);
      return;
    }
    if (rule.map) {
      const entries = Object.values(d);
      for (const [k, v] of Object.entries(l)) {
        const documented = Object.hasOwn(d, k) ? d[k] : entries[0];
        if (documented !== undefined) walk(documented, v, `${pattern}.*`, childPath(path, k));
      }
      return;
    }
    const docKeys = Object.keys(d);
    const liveKeys = Object.keys(l);
    const lacking: string[] = [];
    for (const k of docKeys.filter((k) => !(k in l))) {
      if (rule.missing?.includes(k)) {
        used.add(`${pattern} missing ${k}`);
        excuse(d[k], `${pattern}.${k}`);
      } else lacking.push(k);
    }
    const unexpected: string[] = [];
    for (const k of liveKeys.filter((k) => !(k in d))) {
      if (rule.extra?.includes(k)) used.add(`${pattern} extra ${k}`);
      else unexpected.push(k);
    }
    if (lacking.length) differences.push(`${path}: lacks documented keys ${fmt(lacking.sort())}`);
    if (unexpected.length) differences.push(`${path}: has keys the reference does not document ${fmt(unexpected.sort())}`);
    for (const k of docKeys) if (k in l) walk(d[k], l[k], `${pattern}.${k}`, childPath(path, k));
  };

  walk(doc, live, '$', '$');
  return { differences, reached, used };
}

/** Patterns of every object the documented example contains (what a comparison should reach). */
export function documentedObjects(doc: unknown, pattern = '$', ruleAt: (pattern: string) => Rule | undefined = () => undefined): string[] {
  if (Array.isArray(doc)) return doc.length ? documentedObjects(doc[0], `${pattern}[]`, ruleAt) : [];
  if (!isObject(doc)) return [];
  const rule = ruleAt(pattern) ?? {};
  if (rule.only) return [pattern];
  if (rule.map) return [pattern, ...Object.values(doc).slice(0, 1).flatMap((v) => documentedObjects(v, `${pattern}.*`, ruleAt))];
  return [pattern, ...Object.entries(doc).flatMap(([k, v]) => documentedObjects(v, `${pattern}.${k}`, ruleAt))];
}

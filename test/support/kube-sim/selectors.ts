// Label and field selectors as the API server reads them (the subset: `k=v`, `k==v`, `k!=v`, `k`,
// `!k`, `k in (a,b)`, `k notin (a,b)`, comma-separated; fields by dotted path with = and !=).
import { ApiError, type KubeObject } from './store.js';

type Test = (labels: Record<string, string>) => boolean;

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export function labelSelector(text: string | null): Test {
  if (!text) return () => true;
  const tests: Test[] = [];
  for (const part of splitTop(text)) {
    const p = part.trim();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, k, op, vs] = m;
      const set = new Set(vs.split(',').map((v) => v.trim()));
      check(k, [...set]);
      tests.push(op === 'in' ? (l) => k in l && set.has(l[k]) : (l) => !(k in l) || !set.has(l[k]));
    } else if ((m = p.match(/^([^=!]+)(==|=|!=)(.*)$/))) {
      const [, k, op, v] = m;
      check(k, [v]);
      tests.push(op === '!=' ? (l) => l[k] !== v : (l) => l[k] === v);
    } else if ((m = p.match(/^!(\S+)$/))) {
      const k = m[1];
      check(k, []);
      tests.push((l) => !(k in l));
    } else {
      check(p, []);
      tests.push((l) => p in l);
    }
  }
  return (l) => tests.every((t) => t(l));
}

function check(k: string, values: readonly string[]): void {
  if (!LABEL_KEY.test(k) || k.length > 317) throw new ApiError(400, 'BadRequest', `unable to parse requirement: invalid label key "${k}"`);
  for (const v of values) if (!LABEL_VALUE.test(v) || v.length > 63) throw new ApiError(400, 'BadRequest', `unable to parse requirement: invalid label value "${v}"`);
}

function splitTop(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.filter((s) => s.trim() !== '');
}

const FIELDS = new Set(['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase']);

export function fieldSelector(text: string | null): (o: KubeObject) => boolean {
  if (!text) return () => true;
  const tests = text.split(',').map((p) => {
    const m = p.match(/^([a-zA-Z.]+)(==|=|!=)(.*)$/);
    if (!m || !FIELDS.has(m[1])) throw new ApiError(400, 'BadRequest', `"${p}" is not a known field selector: only "${[...FIELDS].join('", "')}"`);
    const [, path, op, v] = m;
    const get = (o: KubeObject): string => String(path.split('.').reduce<unknown>((x, k) => (x as Record<string, unknown> | undefined)?.[k], o) ?? '');
    return op === '!=' ? (o: KubeObject) => get(o) !== v : (o: KubeObject) => get(o) === v;
  });
  return (o) => tests.every((t) => t(o));
}

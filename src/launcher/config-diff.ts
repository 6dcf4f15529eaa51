// What an update would change, for `svc update start --dry-run`: the changed values of the package
// options and of the rendered spec (by path), and what happens to each pod instance.
import type { PodSpec, ServiceSpec } from '../spec/types.js';

export interface Change {
  /** `pods.hello.tasks.0.cpus`, `memcache.count` ... */
  readonly path: string;
  /** Absent when the value is new. */
  readonly from?: unknown;
  /** Absent when the value is removed. */
  readonly to?: unknown;
}

export interface UpdatePreview {
  readonly name: string;
  /** Package options: the current ones against the ones the update renders with. */
  readonly options: readonly Change[];
  /** The rendered spec: current target against the new one. */
  readonly spec: readonly Change[];
  /** One line per pod the deploy plan would touch: roll, deploy, decommission. */
  readonly rolls: readonly string[];
  /** Why the update would be rejected (empty when it would be accepted). */
  readonly issues: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf-level differences of two JSON values; arrays of named things (pods, tasks) are keyed by name. */
export function diffJson(from: unknown, to: unknown, path = ''): Change[] {
  if (JSON.stringify(from) === JSON.stringify(to)) return [];
  const a = keyed(from);
  const b = keyed(to);
  if (a && b) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => {
      const p = path ? `${path}.${k}` : k;
      if (!(k in a)) return [{ path: p, to: b[k] }];
      if (!(k in b)) return [{ path: p, from: a[k] }];
      return diffJson(a[k], b[k], p);
    });
  }
  return [{ path: path || '(root)', from, to }];
}

/** An object as it is; an array of objects with unique names as an object by name; else undefined. */
function keyed(v: unknown): Record<string, unknown> | undefined {
  if (isObject(v)) return v;
  if (!Array.isArray(v) || v.length === 0 || !v.every((e) => isObject(e) && typeof e.name === 'string')) return undefined;
  const names = v.map((e) => (e as { name: string }).name);
  return new Set(names).size === names.length ? Object.fromEntries(v.map((e) => [(e as { name: string }).name, e])) : undefined;
}

const range = (pod: string, from: number, to: number) => (to - from === 1 ? `${pod}-${from}` : `${pod}-${from}..${pod}-${to - 1}`);

/** What the deploy plan does to each pod: instances whose pod spec changed restart on it, added ones deploy, removed ones go. */
export function podsThatRoll(current: ServiceSpec, next: ServiceSpec): string[] {
  const before = new Map(current.pods.map((p) => [p.name, p]));
  const lines: string[] = [];
  const withoutCount = (p: PodSpec) => JSON.stringify({ ...p, count: 0 });
  for (const pod of next.pods) {
    const old = before.get(pod.name);
    if (!old) {
      lines.push(`${range(pod.name, 0, pod.count)}: deploy (new pod)`);
      continue;
    }
    const kept = Math.min(old.count, pod.count);
    if (kept > 0 && withoutCount(old) !== withoutCount(pod)) lines.push(`${range(pod.name, 0, kept)}: restart on the new config`);
    if (pod.count > old.count) lines.push(`${range(pod.name, old.count, pod.count)}: deploy (count ${old.count} → ${pod.count})`);
    if (pod.count < old.count) lines.push(`${range(pod.name, pod.count, old.count)}: decommission (count ${old.count} → ${pod.count})`);
  }
  for (const old of current.pods) if (!next.pods.some((p) => p.name === old.name)) lines.push(`${range(old.name, 0, old.count)}: decommission (pod removed)`);
  return lines;
}

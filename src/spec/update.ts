// Config updates: what may not change between the stored target and a new candidate spec
// (the original's config validators), and a stable id for every accepted spec.
import { createHash } from 'node:crypto';
import { PORT_MAPPING_NETWORK } from './pod.js';
import type { PodSpec, ServiceSpec, SpecIssue, VolumeSpec } from './types.js';

export type UpdateRule = (oldSpec: ServiceSpec, newSpec: ServiceSpec) => SpecIssue[];

const q = JSON.stringify;

export const serviceNameCannotChange: UpdateRule = (o, n) =>
  o.name === n.name ? [] : [{ path: 'name', message: `cannot change from ${q(o.name)} to ${q(n.name)} (install a new service instead)` }];

/** Fatal in the original: the scheduler exits rather than keep the old target. */
export const userCannotChange: UpdateRule = (o, n) =>
  o.scheduler.user === n.scheduler.user
    ? []
    : [{ path: 'scheduler.user', message: `cannot change from ${q(o.scheduler.user)} to ${q(n.scheduler.user)} (files in persistent volumes belong to the old user)`, fatal: true }];

/** Removing a pod needs allow-decommission on the old pod; lowering count needs it on the new one. */
export const podsCannotShrink: UpdateRule = (o, n) =>
  o.pods.flatMap((old): SpecIssue[] => {
    const now = n.pods.find((p) => p.name === old.name);
    if (!now) {
      return old.allowDecommission
        ? []
        : [{ path: `pods.${old.name}`, message: 'cannot be removed: the current config lacks allow-decommission: true (add it in one update, then remove the pod)' }];
    }
    return now.count < old.count && !now.allowDecommission
      ? [{ path: `pods.${old.name}.count`, message: `cannot shrink from ${old.count} to ${now.count} without allow-decommission: true` }]
      : [];
  });

/** Host ports are used without networks or on a port-mapping network; a pod may not move to or from a virtual network. */
export const podsCannotChangeNetworkRegime: UpdateRule = (o, n) =>
  bothPods(o, n).flatMap(([old, now]) =>
    usesHostPorts(old) === usesHostPorts(now)
      ? []
      : [{ path: `pods.${now.name}.networks`, message: `cannot move between host networking and a virtual network (${networksOf(old)} → ${networksOf(now)})` }],
  );

const usesHostPorts = (pod: PodSpec): boolean => pod.networks.length === 0 || pod.networks.some((nw) => nw.name === PORT_MAPPING_NETWORK);
const networksOf = (pod: PodSpec): string => (pod.networks.length === 0 ? 'host' : pod.networks.map((nw) => nw.name).join(', '));

export const preReservedRoleCannotChange: UpdateRule = (o, n) =>
  bothPods(o, n).flatMap(([old, now]) =>
    old.preReservedRole === now.preReservedRole
      ? []
      : [{ path: `pods.${now.name}.pre-reserved-role`, message: `cannot change from ${q(old.preReservedRole)} to ${q(now.preReservedRole)}` }],
  );

/** The volumes of a task present in both configs (type, size, path, profiles) must be identical. Pod-level volumes are not checked (as the original). */
export const taskVolumesCannotChange: UpdateRule = (o, n) =>
  bothPods(o, n).flatMap(([old, now]) =>
    now.tasks.flatMap((task): SpecIssue[] => {
      const before = old.tasks.find((t) => t.name === task.name);
      if (!before) return [];
      const [a, b] = [volumesKey(before.volumes), volumesKey(task.volumes)];
      return a === b ? [] : [{ path: `pods.${now.name}.tasks.${task.name}.volumes`, message: `cannot change once deployed: [${a}] → [${b}]` }];
    }),
  );

const volumesKey = (vs: readonly VolumeSpec[]): string =>
  vs
    .map((v) => `${v.path}:${v.type}:${v.size}MB${v.profiles.length ? `:${[...v.profiles].sort().join('+')}` : ''}`)
    .sort()
    .join(', ');

function bothPods(o: ServiceSpec, n: ServiceSpec): Array<[PodSpec, PodSpec]> {
  return n.pods.flatMap((now): Array<[PodSpec, PodSpec]> => {
    const old = o.pods.find((p) => p.name === now.name);
    return old ? [[old, now]] : [];
  });
}

export const updateRules: readonly UpdateRule[] = [
  serviceNameCannotChange,
  userCannotChange,
  podsCannotShrink,
  podsCannotChangeNetworkRegime,
  preReservedRoleCannotChange,
  taskVolumesCannotChange,
];

/**
 * Issues that forbid replacing the target `oldSpec` by `newSpec` (empty = accepted). With no old
 * spec (first install) there is nothing to compare: the checks that always run are part of parsing.
 */
export function validateConfigUpdate(oldSpec: ServiceSpec | undefined, newSpec: ServiceSpec): SpecIssue[] {
  return oldSpec ? updateRules.flatMap((rule) => rule(oldSpec, newSpec)) : [];
}

/** Sorted-key JSON: equal specs give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A stable id for a spec (template contents included): a UUID (version 8, RFC 9562) made of the sha256 of its canonical JSON. */
export function configId(spec: ServiceSpec): string {
  const h = createHash('sha256').update(canonicalJson(spec)).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Rules that look across objects of a converted spec. Each is a small named function returning
// issues; `specRules` is the list parse runs after conversion.
import type { PodSpec, ResourceSetSpec, ServiceSpec, SpecIssue } from './types.js';

export type SpecRule = (spec: ServiceSpec) => SpecIssue[];

/** The YAML path of a resource set: declared under the pod, or the task that implies it. */
export function resourceSetPath(pod: PodSpec, set: ResourceSetSpec): string {
  if (set.declared) return `pods.${pod.name}.resource-sets.${set.id}`;
  const task = pod.tasks.find((t) => t.resourceSet === set.id);
  return `pods.${pod.name}.tasks.${task?.name ?? set.id}`;
}

/** Advertised port names are endpoint names: one per service (the same set in several tasks counts once). */
export const advertisedPortNamesAreUnique: SpecRule = (spec) => {
  const firstAt = new Map<string, string>();
  const issues: SpecIssue[] = [];
  for (const pod of spec.pods) {
    for (const set of pod.resourceSets) {
      for (const port of set.ports.filter((p) => p.advertise)) {
        const path = `${resourceSetPath(pod, set)}.ports.${port.name}`;
        const first = firstAt.get(port.name);
        if (first === undefined) firstAt.set(port.name, path);
        else issues.push({ path, message: `advertised port name "${port.name}" is already used by ${first} (endpoint names must be unique in a service)` });
      }
    }
  }
  return issues;
};

/** A discovery prefix may be shared by tasks of one pod, never by two pods. */
export const discoveryPrefixesStayInOnePod: SpecRule = (spec) => {
  const podOf = new Map<string, string>();
  const issues: SpecIssue[] = [];
  for (const pod of spec.pods) {
    for (const task of pod.tasks) {
      const prefix = task.discovery?.prefix;
      if (prefix === undefined) continue;
      const owner = podOf.get(prefix);
      if (owner === undefined) podOf.set(prefix, pod.name);
      else if (owner !== pod.name) {
        issues.push({ path: `pods.${pod.name}.tasks.${task.name}.discovery.prefix`, message: `DNS name "${prefix}" is already used by pod "${owner}" (tasks in different pods cannot share DNS names)` });
      }
    }
  }
  return issues;
};

/** `resource-limits` may not be below the requested amount (`memory` is reported as mem, as the original). */
export const resourceLimitsCoverRequests: SpecRule = (spec) =>
  spec.pods.flatMap((pod) =>
    pod.resourceSets.flatMap((set) =>
      (['cpus', 'memory'] as const).flatMap((kind): SpecIssue[] => {
        const limit = set.resourceLimits?.[kind];
        const requested = set[kind];
        if (typeof limit !== 'number' || limit >= requested) return [];
        const name = kind === 'memory' ? 'mem' : kind;
        return [{ path: `${resourceSetPath(pod, set)}.resource-limits.${kind}`, message: `the ${name} limit ${fmt(limit)} is less than the requested amount ${fmt(requested)}` }];
      }),
    ),
  );

const fmt = (n: number): string => String(Math.round(n * 1000) / 1000);

/** The service name becomes a DNS label (slashes removed) and a role; `__` is reserved for folders. */
export const serviceNameFitsDns: SpecRule = (spec) => {
  const issues: SpecIssue[] = [];
  if (spec.name.includes('__')) issues.push({ path: 'name', message: 'must not contain "__"' });
  const label = spec.name.replace(/\//g, '');
  if (label.length > 63) issues.push({ path: 'name', message: `must be at most 63 characters once "/" are removed (it is used in DNS names), got ${label.length}` });
  return issues;
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const nameProblem = (what: string, name: string): string => `${what} name ${JSON.stringify(name)} must be letters, digits, "-" or "_", starting with a letter or digit`;

/** Pod and task names end up in task names, DNS names and paths (an svc rule; the original only wants them non-empty). */
export const podAndTaskNamesAreSafe: SpecRule = (spec) =>
  spec.pods.flatMap((pod) => [
    ...(NAME.test(pod.name) ? [] : [{ path: `pods.${pod.name}`, message: nameProblem('pod', pod.name) }]),
    ...pod.tasks.filter((t) => !NAME.test(t.name)).map((t) => ({ path: `pods.${pod.name}.tasks.${t.name}`, message: nameProblem('task', t.name) })),
  ]);

export const specRules: readonly SpecRule[] = [serviceNameFitsDns, podAndTaskNamesAreSafe, advertisedPortNamesAreUnique, discoveryPrefixesStayInOnePod, resourceLimitsCoverRequests];

// TASKCFG_* routing, as the original's TaskEnvRouter: the scheduler env's `TASKCFG_ALL_<X>` reaches
// every task as `<X>`, `TASKCFG_<POD_TYPE>_<X>` the tasks of that pod type. The routed values are
// merged into each task's env in the spec (overriding the spec's own values), so changing one
// changes the config and rolls out, as it did in the original.
import type { Env } from './render.js';
import type { ServiceSpec } from './types.js';

const PREFIX = 'TASKCFG_';
const ALL = `${PREFIX}ALL_`;

/** A pod type as an env-name segment: upper-cased, anything but [A-Za-z0-9_] becomes `_`. */
const podTypeEnvName = (podType: string): string => podType.toUpperCase().replace(/[^A-Za-z0-9_]/g, '_');

/**
 * The values routed to a pod type. Keys are visited in sorted order (the original's TreeMap), a
 * later key winning: so `TASKCFG_<POD>_X` overrides `TASKCFG_ALL_X` when `<POD>` sorts after `ALL`.
 */
export function routedEnv(env: Env, podType: string): Record<string, string> {
  const podPrefix = `${PREFIX}${podTypeEnvName(podType)}_`;
  const out: Record<string, string> = {};
  for (const key of Object.keys(env).filter((k) => k.startsWith(PREFIX)).sort()) {
    const value = env[key];
    if (value === undefined) continue;
    if (key.startsWith(ALL)) out[key.slice(ALL.length)] = value;
    else if (key.startsWith(podPrefix)) out[key.slice(podPrefix.length)] = value;
  }
  return out;
}

/** The spec with every task's env extended by the values routed to its pod type. */
export function routeTaskEnv(spec: ServiceSpec, env: Env): ServiceSpec {
  if (!Object.keys(env).some((k) => k.startsWith(PREFIX))) return spec;
  return {
    ...spec,
    pods: spec.pods.map((pod) => {
      const routed = routedEnv(env, pod.name);
      if (Object.keys(routed).length === 0) return pod;
      return { ...pod, tasks: pod.tasks.map((t) => ({ ...t, env: { ...t.env, ...routed } })) };
    }),
  };
}

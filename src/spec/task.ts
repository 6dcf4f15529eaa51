// pods.<pod>.tasks.<task> → TaskSpec. Unknown task fields are errors (as in the original).
import { Reader, describe, isRawMap } from './raw.js';
import { relativePathProblem, segmentProblem } from './path-names.js';
import { RESOURCE_FIELDS, convertResourceSet } from './resources.js';
import type { CheckSpec, ConfigTemplateSpec, DiscoverySpec, Goal, ResourceSetSpec, TaskSpec, TransportEncryptionSpec } from './types.js';

const TASK_FIELDS = [
  'goal', 'essential', 'cmd', 'env', 'labels', 'kill-grace-period', 'ipc-mode', 'shm-size', 'discovery',
  'health-check', 'readiness-check', 'configs', 'transport-encryption', 'resource-set', ...RESOURCE_FIELDS,
];

export const MAX_KILL_GRACE_PERIOD = 3600;

export interface TaskContext {
  readonly podName: string;
  /** The pod's declared resource sets by id. */
  readonly declaredSets: ReadonlyMap<string, ResourceSetSpec>;
}

/** The task, and its implicit resource set when it names none. */
export function convertTask(name: string, r: Reader, ctx: TaskContext): { task: TaskSpec; implicitSet?: ResourceSetSpec } {
  r.onlyKeys(TASK_FIELDS);
  const { set, implicitSet } = resourcesOf(name, r, ctx);
  const ipcMode = r.oneOf('ipc-mode', ['PRIVATE', 'SHARE_PARENT'] as const);
  const shmSize = r.optNum('shm-size', { integer: true, min: 0 });
  if (ipcMode === 'SHARE_PARENT' && shmSize !== undefined) r.fail('shm-size', 'does not apply when ipc-mode is SHARE_PARENT');
  const healthCheck = convertHealthCheck(r.map('health-check'));
  const readinessCheck = convertReadinessCheck(r.map('readiness-check'));
  const discovery = convertDiscovery(r.map('discovery'));
  const task: TaskSpec = {
    name,
    goal: convertGoal(r),
    essential: r.bool('essential', true),
    cmd: r.str('cmd', { required: true }) ?? '',
    env: convertEnv(r),
    cpus: set?.cpus ?? 0,
    gpus: set?.gpus ?? 0,
    memory: set?.memory ?? 0,
    ports: set?.ports ?? [],
    volumes: set?.volumes ?? [],
    ...(set?.resourceLimits ? { resourceLimits: set.resourceLimits } : {}),
    resourceSet: set?.id ?? '',
    configs: convertConfigs(r),
    ...(healthCheck ? { healthCheck } : {}),
    ...(readinessCheck ? { readinessCheck } : {}),
    killGracePeriod: r.num('kill-grace-period', 0, { integer: true, min: 0, max: MAX_KILL_GRACE_PERIOD }),
    labels: convertLabels(r, 'labels'),
    ...(discovery ? { discovery } : {}),
    transportEncryption: convertTransportEncryption(r),
    ...(ipcMode ? { ipcMode } : {}),
    ...(shmSize !== undefined ? { shmSize } : {}),
  };
  return { task, ...(implicitSet ? { implicitSet } : {}) };
}

function resourcesOf(name: string, r: Reader, ctx: TaskContext): { set?: ResourceSetSpec; implicitSet?: ResourceSetSpec } {
  const setName = r.str('resource-set', { nonBlank: true });
  if (setName === undefined) {
    const implicitSet = convertResourceSet(`${name}-resource-set`, false, r);
    return { set: implicitSet, implicitSet };
  }
  const set = ctx.declaredSets.get(setName);
  if (!set) r.fail('resource-set', `no resource set "${setName}" in pod "${ctx.podName}"`);
  return set ? { set } : {};
}

function convertGoal(r: Reader): Goal {
  const raw = r.str('goal', { required: true });
  if (raw === undefined) return 'RUNNING';
  const up = raw.toUpperCase();
  if (up === 'RUNNING' || up === 'ONCE') return up;
  if (up === 'FINISH' || up === 'FINISHED') return 'FINISHED';
  r.fail('goal', `must be RUNNING, FINISH (or FINISHED) or ONCE, got ${JSON.stringify(raw)}`);
  return 'RUNNING';
}

function convertEnv(r: Reader): Record<string, string> {
  const envR = r.map('env');
  const env: Record<string, string> = {};
  for (const k of envR?.keys() ?? []) {
    const v = envR?.raw.get(k) ?? null;
    if (v === null || typeof v === 'string') env[k] = v ?? '';
    else envR?.fail(k, `must be a string, got ${describe(v)}`);
  }
  return env;
}

/**
 * `labels: "k1:v1,k2:v2"` — items split on ",", each on its first ":" (`k:a:b` → k = "a:b"); an item
 * without ":" (or a blank string) is an error. A YAML mapping of strings is accepted too.
 */
export function convertLabels(r: Reader, key: string): Record<string, string> {
  const v = r.raw.get(key);
  if (v === undefined || v === null) return {};
  if (isRawMap(v)) {
    const labels: Record<string, string> = {};
    for (const [k, val] of v) {
      if (typeof val === 'string' || val === null) labels[k] = val ?? '';
      else r.fail(`${key}.${k}`, `must be a string, got ${describe(val)}`);
    }
    return labels;
  }
  if (typeof v !== 'string') {
    r.fail(key, `must be a "key:value,key:value" string, got ${describe(v)}`);
    return {};
  }
  const labels: Record<string, string> = {};
  for (const item of v.split(',')) {
    const colon = item.indexOf(':');
    if (colon <= 0 || item.slice(0, colon).trim() === '') {
      r.fail(key, `must be "key:value" pairs separated by ",", got ${JSON.stringify(v)}`);
      return {};
    }
    labels[item.slice(0, colon)] = item.slice(colon + 1);
  }
  return labels;
}

function convertHealthCheck(r: Reader | undefined): CheckSpec | undefined {
  if (!r) return undefined;
  r.onlyKeys(['cmd', 'interval', 'grace-period', 'max-consecutive-failures', 'delay', 'timeout']);
  const required = { required: true, integer: true, min: 0 };
  return {
    cmd: r.str('cmd', { required: true }) ?? '',
    interval: r.num('interval', 0, required),
    gracePeriod: r.num('grace-period', 0, required),
    maxConsecutiveFailures: r.num('max-consecutive-failures', 1, { ...required, min: 1 }),
    delay: r.num('delay', 0, required),
    timeout: r.num('timeout', 0, required),
  };
}

function convertReadinessCheck(r: Reader | undefined): CheckSpec | undefined {
  if (!r) return undefined;
  r.onlyKeys(['cmd', 'interval', 'delay', 'timeout']);
  const required = { required: true, integer: true, min: 0 };
  return {
    cmd: r.str('cmd', { required: true }) ?? '',
    interval: r.num('interval', 0, required),
    delay: r.num('delay', 0, { integer: true, min: 0 }),
    gracePeriod: 0,
    timeout: r.num('timeout', 0, required),
    maxConsecutiveFailures: 0,
  };
}

function convertDiscovery(r: Reader | undefined): DiscoverySpec | undefined {
  if (!r) return undefined;
  r.onlyKeys(['prefix', 'visibility']);
  const prefix = r.str('prefix', { nonBlank: true });
  const visibility = r.oneOf('visibility', ['FRAMEWORK', 'CLUSTER', 'EXTERNAL'] as const) ?? 'CLUSTER';
  return { ...(prefix ? { prefix } : {}), visibility };
}

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function convertConfigs(r: Reader): ConfigTemplateSpec[] {
  const byDest = new Map<string, string>();
  return r.entries('configs').map(([name, c]) => {
    c.onlyKeys(['template', 'dest']);
    const template = c.str('template', { required: true }) ?? '';
    const dest = c.str('dest', { required: true }) ?? '';
    // the executor writes config-templates/<name> into the sandbox; `template` is read beside the spec
    const nameProblem = segmentProblem(name);
    if (nameProblem) c.failHere(`config name ${nameProblem}`);
    const templateProblem = template ? relativePathProblem(template) : undefined;
    if (templateProblem) c.fail('template', templateProblem);
    // dest is written by the task's own bootstrap, with the task's rights (upstream specs use ../other/…)
    if (CONTROL_CHARS.test(dest)) c.fail('dest', `must not contain control characters (NUL included), got ${JSON.stringify(dest)}`);
    const other = byDest.get(dest);
    if (dest && other !== undefined) c.fail('dest', `is also the dest of config "${other}"`);
    byDest.set(dest, name);
    return { name, template, dest };
  });
}

const TLS_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function convertTransportEncryption(r: Reader): TransportEncryptionSpec[] {
  const path = r.at('transport-encryption');
  const seen = new Set<string>();
  return (r.list('transport-encryption') ?? []).flatMap((item, i) => {
    const t = Reader.of(r.issues, `${path}[${i}]`, item);
    if (!t) return [];
    t.onlyKeys(['name', 'type']);
    const name = t.str('name', { required: true });
    const type = t.oneOf('type', ['TLS', 'KEYSTORE'] as const, { required: true });
    // the name becomes file names in the sandbox (`<name>.crt`): one plain file name, once per task
    if (name && !TLS_NAME.test(name)) t.fail('name', `must be a file name (letters, digits, ".", "_", "-"; not starting with "."), got ${JSON.stringify(name)}`);
    else if (name && seen.has(name)) t.fail('name', `${JSON.stringify(name)} is used twice in this task`);
    if (name) seen.add(name);
    return name && type ? [{ name, type }] : [];
  });
}

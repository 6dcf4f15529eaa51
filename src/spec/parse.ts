// svc.yml text → ServiceSpec: render mustache from the scheduler env, parse YAML strictly, convert
// with defaults, and collect every issue with its YAML path.
import Mustache from 'mustache';
import { parseDocument } from 'yaml';
import { SpecError } from './errors.js';
import type { CheckSpec, Goal, PodSpec, PortSpec, ServiceSpec, SpecIssue, TaskSpec, VolumeSpec } from './types.js';

type Raw = Record<string, unknown>;

/** Renders `{{VAR}}` from env; "true"/"false" become booleans so sections act as conditionals. */
export function renderTemplate(text: string, env: Readonly<Record<string, string | undefined>>): string {
  const view: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    const lower = v.toLowerCase();
    view[k] = lower === 'true' ? true : lower === 'false' ? false : v;
  }
  return Mustache.render(text, view, {}, { escape: (s: string) => s });
}

export function parseServiceSpec(text: string, env: Readonly<Record<string, string | undefined>> = {}, source = 'svc.yml'): ServiceSpec {
  const rendered = renderTemplate(text, env);
  const doc = parseDocument(rendered, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new SpecError(doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.split('\n')[0]}` })), source);
  }
  const raw = doc.toJS() as unknown;
  const issues: SpecIssue[] = [];
  const spec = convertService(raw, issues);
  if (issues.length > 0 || !spec) throw new SpecError(issues, source);
  return spec;
}

class Reader {
  constructor(
    private readonly issues: SpecIssue[],
    readonly path: string,
    readonly obj: Raw,
  ) {}
  static of(issues: SpecIssue[], path: string, v: unknown): Reader | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      issues.push({ path, message: 'must be a mapping' });
      return undefined;
    }
    return new Reader(issues, path, v as Raw);
  }
  at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
  fail(key: string, message: string): void {
    this.issues.push({ path: this.at(key), message });
  }
  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }
  str(key: string, required: true): string;
  str(key: string, required?: false): string | undefined;
  str(key: string, required = false): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(key, 'is required');
      return undefined;
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.fail(key, 'must be a string');
    return undefined;
  }
  num(key: string, dflt: number, check?: (n: number) => string | undefined): number {
    const v = this.obj[key];
    if (v === undefined || v === null) return dflt;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) {
      this.fail(key, `must be a number, got ${JSON.stringify(v)}`);
      return dflt;
    }
    const problem = check?.(n);
    if (problem) this.fail(key, problem);
    return n;
  }
  bool(key: string, dflt: boolean): boolean {
    const v = this.obj[key];
    if (v === undefined || v === null) return dflt;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    this.fail(key, 'must be true or false');
    return dflt;
  }
  map(key: string): Reader | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) return undefined;
    return Reader.of(this.issues, this.at(key), v);
  }
  /** Rejects keys this object does not know, as the original parser does. */
  onlyKeys(known: readonly string[]): void {
    for (const k of Object.keys(this.obj)) if (!known.includes(k)) this.fail(k, 'unknown field');
  }
}

const positive = (n: number) => (n > 0 ? undefined : 'must be > 0');
const nonNegative = (n: number) => (n >= 0 ? undefined : 'must be >= 0');
const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function convertService(raw: unknown, issues: SpecIssue[]): ServiceSpec | undefined {
  const r = Reader.of(issues, '', raw);
  if (!r) return undefined;
  r.onlyKeys(['name', 'web-url', 'scheduler', 'pods', 'plans']);
  const name = r.str('name', true) ?? '';
  if (name.includes('__')) r.fail('name', 'must not contain "__"');
  const sched = r.map('scheduler');
  const principal = sched?.str('principal') ?? `${name}-principal`;
  const user = sched?.str('user') ?? 'root';
  const podsR = r.map('pods');
  const pods: PodSpec[] = [];
  if (!podsR) r.fail('pods', 'is required');
  else {
    if (Object.keys(podsR.obj).length === 0) r.fail('pods', 'must name at least one pod');
    for (const podName of Object.keys(podsR.obj)) {
      const pod = convertPod(podName, podsR.map(podName), issues);
      if (pod) pods.push(pod);
    }
  }
  return { name, webUrl: r.str('web-url'), scheduler: { principal, user }, pods, plans: [] };
}

function convertPod(name: string, r: Reader | undefined, issues: SpecIssue[]): PodSpec | undefined {
  if (!r) return undefined;
  if (!NAME.test(name)) issues.push({ path: r.path, message: `pod name "${name}" must be lower-case letters, digits and "-"` });
  const count = r.num('count', 1, (n) => (Number.isInteger(n) && n >= 0 ? undefined : 'must be an integer >= 0'));
  const tasksR = r.map('tasks');
  const tasks: TaskSpec[] = [];
  if (!tasksR) r.fail('tasks', 'is required');
  else
    for (const taskName of Object.keys(tasksR.obj)) {
      const task = convertTask(taskName, tasksR.map(taskName), issues);
      if (task) tasks.push(task);
    }
  return {
    name,
    count,
    placement: r.str('placement'),
    allowDecommission: r.bool('allow-decommission', false),
    volumes: convertVolumes(r),
    tasks,
  };
}

const TASK_FIELDS = ['goal', 'essential', 'cmd', 'env', 'cpus', 'memory', 'ports', 'volume', 'volumes', 'configs', 'health-check', 'readiness-check', 'kill-grace-period', 'labels'];

function convertTask(name: string, r: Reader | undefined, issues: SpecIssue[]): TaskSpec | undefined {
  if (!r) return undefined;
  if (!NAME.test(name)) issues.push({ path: r.path, message: `task name "${name}" must be lower-case letters, digits and "-"` });
  r.onlyKeys(TASK_FIELDS);
  const goalRaw = (r.str('goal') ?? 'RUNNING').toUpperCase();
  const goal: Goal = goalRaw === 'FINISH' ? 'FINISHED' : (goalRaw as Goal);
  if (!['RUNNING', 'FINISHED', 'ONCE'].includes(goal)) r.fail('goal', `must be RUNNING, FINISHED or ONCE, got "${goalRaw}"`);
  const env: Record<string, string> = {};
  const envR = r.map('env');
  for (const k of Object.keys(envR?.obj ?? {})) env[k] = envR?.str(k) ?? '';
  return {
    name,
    goal,
    essential: r.bool('essential', true),
    cmd: r.str('cmd', true) ?? '',
    env,
    cpus: r.num('cpus', 0, positive),
    memory: r.num('memory', 0, positive),
    ports: convertPorts(r),
    volumes: convertVolumes(r),
    configs: [],
    healthCheck: convertCheck(r.map('health-check')),
    readinessCheck: convertCheck(r.map('readiness-check')),
    killGracePeriod: r.num('kill-grace-period', 0, nonNegative),
    labels: {},
  };
}

function convertPorts(r: Reader): PortSpec[] {
  const portsR = r.map('ports');
  if (!portsR) return [];
  return Object.keys(portsR.obj).flatMap((name) => {
    const p = portsR.map(name);
    if (!p) return [];
    return [{ name, port: p.num('port', 0, nonNegative), envKey: p.str('env-key'), advertise: p.bool('advertise', false) }];
  });
}

function convertVolumes(r: Reader): VolumeSpec[] {
  const out: VolumeSpec[] = [];
  const one = r.map('volume');
  const volume = (name: string, v: Reader): VolumeSpec => {
    const type = (v.str('type') ?? 'ROOT').toUpperCase();
    if (type !== 'ROOT' && type !== 'MOUNT') v.fail('type', `must be ROOT or MOUNT, got "${type}"`);
    const path = v.str('path', true) ?? '';
    return { name, path, type: type as VolumeSpec['type'], size: v.num('size', 0, positive), profiles: [] };
  };
  if (one) out.push(volume(one.str('path') ?? 'volume', one));
  const many = r.map('volumes');
  for (const name of Object.keys(many?.obj ?? {})) {
    const v = many?.map(name);
    if (v) out.push(volume(name, v));
  }
  return out;
}

function convertCheck(r: Reader | undefined): CheckSpec | undefined {
  if (!r) return undefined;
  return {
    cmd: r.str('cmd', true) ?? '',
    interval: r.num('interval', 5, nonNegative),
    delay: r.num('delay', 0, nonNegative),
    gracePeriod: r.num('grace-period', 0, nonNegative),
    timeout: r.num('timeout', 10, positive),
    maxConsecutiveFailures: r.num('max-consecutive-failures', 3, positive),
  };
}

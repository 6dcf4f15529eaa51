// svc.yml text → ServiceSpec: render mustache from the scheduler env, parse YAML strictly, convert
// with defaults, run the cross-object rules, and collect every issue with its YAML path.
import { SpecError } from './errors.js';
import { serviceNameProblem } from './path-names.js';
import { convertPlans } from './plans.js';
import { convertPod } from './pod.js';
import { Reader, parseYaml } from './raw.js';
import { envView, htmlEscape, missingValuesIssue, renderWithView, type Env } from './render.js';
import { specRules } from './rules.js';
import type { PodSpec, ServiceSpec, SpecIssue } from './types.js';

export interface ParseOptions {
  /** Render missing `{{VALUE}}` tags as empty strings instead of rejecting the spec. Default false (strict). */
  readonly lenient?: boolean;
  /** Contents of config templates by their `template` path as written; when given, every template must be present and non-empty. */
  readonly templates?: Readonly<Record<string, string | undefined>>;
}

export interface Analysis {
  /** Best effort: present whenever the text rendered and parsed as YAML, even with issues. */
  readonly spec?: ServiceSpec;
  readonly issues: readonly SpecIssue[];
}

export function parseServiceSpec(text: string, env: Env = {}, source = 'svc.yml', options: ParseOptions = {}): ServiceSpec {
  const { spec, issues } = analyzeServiceSpec(text, env, source, options);
  if (issues.length > 0 || !spec) throw new SpecError(issues, source);
  return spec;
}

/** Like parseServiceSpec, but returns the issues instead of throwing. */
export function analyzeServiceSpec(text: string, env: Env, source: string, options: ParseOptions = {}): Analysis {
  let rendered: string;
  const issues: SpecIssue[] = [];
  try {
    const { text: out, missing } = renderWithView(text, envView(env), htmlEscape, source);
    if (missing.length > 0 && !options.lenient) issues.push(missingValuesIssue(missing));
    rendered = out;
  } catch (e) {
    return { issues: e instanceof SpecError ? e.issues : [{ path: '', message: String(e) }] };
  }
  const raw = parseYaml(rendered, issues);
  if (raw === undefined) return { issues };
  const r = Reader.of(issues, '', raw);
  if (!r) return { issues };
  let spec = convertService(r);
  for (const rule of specRules) issues.push(...rule(spec));
  if (options.templates) {
    const attached = attachTemplates(spec, options.templates);
    spec = attached.spec;
    issues.push(...attached.issues);
  }
  return { spec, issues };
}

function convertService(r: Reader): ServiceSpec {
  r.onlyKeys(['name', 'web-url', 'scheduler', 'pods', 'plans']);
  const name = r.str('name', { required: true }) ?? '';
  const nameProblem = name ? serviceNameProblem(name) : undefined; // it names the service's folder
  if (nameProblem) r.fail('name', nameProblem);
  const sched = r.map('scheduler');
  sched?.onlyKeys(['principal', 'zookeeper', 'user']);
  const scheduler = {
    principal: sched?.str('principal', { blankIsAbsent: true }) ?? `${name}-principal`,
    user: sched?.str('user', { blankIsAbsent: true }) ?? 'root',
    zookeeper: sched?.str('zookeeper', { blankIsAbsent: true }) ?? 'master.mesos:2181',
  };
  const pods = convertPods(r, scheduler.user);
  const webUrl = r.str('web-url', { blankIsAbsent: true });
  return {
    name,
    ...(webUrl ? { webUrl } : {}),
    scheduler,
    role: `${name.replace(/^\//, '').replace(/\//g, '__')}-role`,
    pods,
    plans: convertPlans(r, pods),
  };
}

function convertPods(r: Reader, user: string): PodSpec[] {
  const podsR = r.map('pods');
  if (!podsR) {
    if (!r.has('pods')) r.fail('pods', 'is required');
    return [];
  }
  const pods = podsR.children().map(([name, pr]) => convertPod(name, pr, user));
  if (podsR.keys().length === 0) r.fail('pods', 'must name at least one pod');
  return pods;
}

/** Puts each config template's text into the spec; a missing or empty template is an issue on its `template` field. */
export function attachTemplates(spec: ServiceSpec, contents: Readonly<Record<string, string | undefined>>): { spec: ServiceSpec; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  const pods = spec.pods.map((pod) => ({
    ...pod,
    tasks: pod.tasks.map((task) => ({
      ...task,
      configs: task.configs.map((c) => {
        if (c.template === '') return c; // already reported as required
        const content = Object.hasOwn(contents, c.template) ? contents[c.template] : undefined;
        const path = `pods.${pod.name}.tasks.${task.name}.configs.${c.name}.template`;
        if (content === undefined) issues.push({ path, message: `template file ${JSON.stringify(c.template)} not found (paths are relative to the spec's directory)` });
        else if (content === '') issues.push({ path, message: `template file ${JSON.stringify(c.template)} is empty` });
        return content === undefined ? c : { ...c, content };
      }),
    })),
  }));
  return { spec: { ...spec, pods }, issues };
}

/** Every distinct config template path the spec names. */
export function templatePaths(spec: ServiceSpec): string[] {
  return [...new Set(spec.pods.flatMap((p) => p.tasks.flatMap((t) => t.configs.map((c) => c.template)).filter((t) => t !== '')))];
}

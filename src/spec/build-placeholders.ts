// The packages in dcos-commons are build templates: `{{artifact-dir}}`, `{{jre-url}}`, … are
// filled when the package is built. Left unfilled, they travel as text into the scheduler env
// (resource.json URLs) and from there into svc.yml, where they break its YAML. This names them,
// with how to fill them, whenever the spec actually uses a value that carries one.
import Mustache from 'mustache';
import type { SpecIssue } from './types.js';

/** A build placeholder: a dashed name without dots (`{{artifact-dir}}`), unlike option paths (`{{service.name}}`). */
const BUILD_TAG = /\{\{([a-z0-9]+(?:-[a-z0-9]+)+)\}\}/g;

export const buildPlaceholders = (text: string): string[] => [...new Set([...text.matchAll(BUILD_TAG)].map((m) => m[1]))];

/** Every name a mustache template looks up (values and sections), or none when it does not parse. */
export function templateNames(template: string): Set<string> {
  const names = new Set<string>();
  const walk = (tokens: unknown[]) => {
    for (const t of tokens as Array<[string, string, number, number, unknown[]?]>) {
      if (['name', '&', '{', '#', '^'].includes(t[0])) names.add(t[1]);
      if (Array.isArray(t[4])) walk(t[4]);
    }
  };
  try {
    walk(Mustache.parse(template));
  } catch {
    // a syntax error is reported by the render itself
  }
  return names;
}

/** How to fill the placeholders, named as a flag each. */
const fillHint = (names: readonly string[]): string => names.map((n) => `--build-var ${n}=<${/dir|url/.test(n) ? 'url' : 'value'}>`).join(' ');

/**
 * The one issue for a spec that uses scheduler-env values still holding build placeholders:
 * which variables, which placeholders, and the flags that fill them; undefined when none is used.
 */
export function unfilledPlaceholderIssue(env: Readonly<Record<string, string>>, specText: string, specFile: string): SpecIssue | undefined {
  const used = templateNames(specText);
  const offending = Object.entries(env).filter(([k, v]) => used.has(k) && buildPlaceholders(v).length > 0);
  if (offending.length === 0) return undefined;
  const names = [...new Set(offending.flatMap(([, v]) => buildPlaceholders(v)))];
  return {
    path: specFile,
    message:
      `uses ${offending.map(([k, v]) => `${k} (${JSON.stringify(v)})`).join(', ')}, which hold${offending.length === 1 ? 's' : ''} unfilled build placeholder${names.length > 1 ? 's' : ''} ` +
      `${names.map((n) => `{{${n}}}`).join(', ')}: this package is a build template; fill them with ${fillHint(names)}`,
  };
}

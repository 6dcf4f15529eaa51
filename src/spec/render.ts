// Mustache rendering of svc.yml against the scheduler's environment, with the original's rules:
// "true"/"false" (any case) become booleans so sections act as conditionals; `{{VAR}}` is
// HTML-escaped as mustache.java does (& < > " ' and newline; existing entity references are kept);
// `{{{VAR}}}` is raw. Value tags whose name is missing are recorded as `NAME@L<line>`; strict
// rendering (our default) rejects them, lenient rendering renders them empty like the original.
import Mustache from 'mustache';
import { SpecError } from './errors.js';
import type { SpecIssue } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface RenderOptions {
  /** Render missing value tags as empty strings instead of failing. Default false (strict). */
  readonly lenient?: boolean;
  /** Named in errors. */
  readonly source?: string;
}

export interface Rendered {
  readonly text: string;
  /** Missing value tags, `NAME@L<line>`, in template order. Tags inside sections that do not render are never visited. */
  readonly missing: readonly string[];
}

/** Renders `text`; throws SpecError on a template syntax error, and (unless lenient) on missing values. */
export function renderTemplate(text: string, env: Env, options: RenderOptions = {}): string {
  const source = options.source ?? 'svc.yml';
  const { text: out, missing } = renderWithView(text, envView(env), htmlEscape, source);
  if (missing.length > 0 && !options.lenient) throw new SpecError([missingValuesIssue(missing)], source);
  return out;
}

export function missingValuesIssue(missing: readonly string[]): SpecIssue {
  const n = missing.length;
  return { path: '', message: `missing ${n} value${n > 1 ? 's' : ''} when rendering: [${missing.join(', ')}] (set them in the scheduler env, or render leniently)` };
}

/** The scheduler env as a mustache view: "true"/"false" in any case become booleans. */
export function envView(env: Env): Record<string, string | boolean> {
  const view: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    const lower = v.toLowerCase();
    view[k] = lower === 'true' ? true : lower === 'false' ? false : v;
  }
  return view;
}

/** Renders against any view with the given escape, recording missing value tags. Throws SpecError on bad syntax. */
export function renderWithView(text: string, view: unknown, escape: (value: unknown) => string, source: string): Rendered {
  const writer = new TrackingWriter(text);
  try {
    return { text: writer.render(text, view, {}, { escape }), missing: writer.missing };
  } catch (e) {
    throw new SpecError([{ path: '', message: `mustache: ${(e as Error).message}` }], source);
  }
}

class TrackingWriter extends Mustache.Writer {
  readonly missing: string[] = [];
  constructor(private readonly template: string) {
    super();
  }
  private track(token: string[], context: Mustache.Context): void {
    if (context.lookup(token[1]) == null) {
      const line = this.template.slice(0, Number(token[2])).split('\n').length;
      this.missing.push(`${token[1]}@L${line}`);
    }
  }
  override escapedValue(token: string[], context: Mustache.Context, config?: Mustache.RenderOptions): string {
    this.track(token, context);
    return super.escapedValue(token, context, config);
  }
  override unescapedValue(token: string[], context: Mustache.Context): string {
    this.track(token, context);
    return super.unescapedValue(token, context);
  }
}

const ENTITY = /^&([A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);/;
const HTML: Record<string, string> = { '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\n': '&#10;' };

/** mustache.java's HtmlEscaper: & (unless it starts an entity reference), <, >, ", ' and newline. */
export function htmlEscape(value: unknown): string {
  const s = String(value);
  return s.replace(/[&<>"'\n]/g, (c, i: number) => (c === '&' ? (ENTITY.test(s.slice(i)) ? '&' : '&amp;') : HTML[c] ?? c));
}

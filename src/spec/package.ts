// A DC/OS package directory, used unchanged, rendered as Cosmos does:
//   config.json (JSON Schema with defaults) + user options → merged options, validated (ajv);
//   marathon.json.mustache rendered over { ...options, resource: resource.json } → the scheduler app;
//   its `env` block is the scheduler env that svc.yml is rendered with.
// Cosmos renders option strings JSON-escaped and never HTML-escapes, in `{{x}}` and `{{{x}}}` alike;
// numbers print as integers when integral; missing values render empty. The packages in
// dcos-commons are build templates: `{{package-version}}`, `{{artifact-dir}}`, … are filled at build
// time — pass them as `buildVars` (package-name and package-version default from package.json).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { issueLines, SpecError } from './errors.js';
import { buildPlaceholders, unfilledPlaceholderIssue } from './build-placeholders.js';
import { renderWithView } from './render.js';
import type { SpecIssue } from './types.js';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export interface RenderPackageOptions {
  /** The service spec; default `<dir>/svc.yml`. */
  readonly specFile?: string;
  /** Build-time placeholders (`artifact-dir`, `package-version`, …) substituted textually before rendering. */
  readonly buildVars?: Readonly<Record<string, string>>;
}

export interface RenderedPackage {
  /** The scheduler env: the rendered app's `env` block (string values only). */
  readonly env: Record<string, string>;
  /** The spec file's text, not yet rendered (render it with `env`). */
  readonly specText: string;
  readonly specFile: string;
  /** config.json defaults merged with the user's options. */
  readonly options: JsonObject;
  /** The whole rendered marathon.json. */
  readonly app: JsonObject;
}

/** A package that cannot be rendered: bad options (issues named by JSON pointer) or unreadable files. */
export class PackageError extends SpecError {
  constructor(issues: readonly SpecIssue[], dir: string) {
    super(issues, dir);
    this.name = 'PackageError';
    this.message = `cannot render package ${dir}:\n` + issueLines(issues);
  }
}

export async function renderPackage(dir: string, userOptions: JsonObject = {}, opts: RenderPackageOptions = {}): Promise<RenderedPackage> {
  const read = (name: string) => readText(join(dir, name));
  const pkgJson = parseJson(dir, 'package.json', await read('package.json'));
  const vars = { ...defaultBuildVars(pkgJson), ...opts.buildVars };
  const configText = await read('config.json');
  const schema = configText === undefined ? undefined : parseJson(dir, 'config.json', configText);
  const template = await read('marathon.json.mustache');
  if (template === undefined) throw new PackageError([{ path: 'marathon.json.mustache', message: 'is missing' }], dir);
  const resourceText = await read('resource.json');
  const resource = resourceText === undefined ? undefined : parseJson(dir, 'resource.json', applyBuildVars(resourceText, vars));

  const options = mergeOptions(schema ? schemaDefaults(schema) : {}, userOptions);
  const issues = schema ? [...unknownOptions(schema, userOptions), ...validateOptions(schema, options)] : noOptionsAllowed(userOptions);
  if (issues.length > 0) throw new PackageError(issues, dir);
  const filled = applyBuildVars(template, vars);
  // unfilled build placeholders of the template stay visible in the env (not rendered empty)
  const keep = Object.fromEntries(buildPlaceholders(filled).filter((n) => !Object.hasOwn(options, n)).map((n) => [n, `{{${n}}}`]));
  const app = renderMarathon(filled, { ...keep, ...options, ...(resource ? { resource } : {}) }, dir);

  const specFile = resolve(opts.specFile ?? join(dir, 'svc.yml'));
  const specText = await readText(specFile);
  if (specText === undefined) throw new PackageError([{ path: specFile, message: 'cannot read the service spec (pass the spec file explicitly)' }], dir);
  const env = envOf(app);
  const unfilled = unfilledPlaceholderIssue(env, specText, specFile);
  if (unfilled) throw new PackageError([unfilled], dir);
  return { env, specText, specFile, options, app };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function parseJson(dir: string, name: string, text: string | undefined): JsonObject {
  if (text === undefined) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (isObject(v)) return v;
  } catch (e) {
    throw new PackageError([{ path: name, message: `is not valid JSON: ${(e as Error).message}` }], dir);
  }
  throw new PackageError([{ path: name, message: 'must be a JSON object' }], dir);
}

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

function defaultBuildVars(pkg: JsonObject): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [key, field] of [['package-name', 'name'], ['package-version', 'version']] as const) {
    const v = pkg[field];
    if (typeof v === 'string' && !v.includes('{{')) vars[key] = v;
  }
  return vars;
}

/** Replaces `{{key}}` for the given keys only; every other tag is left for the options render. */
export function applyBuildVars(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{([A-Za-z0-9_.:-]+)\}\}/g, (tag, key: string) => (Object.hasOwn(vars, key) ? vars[key] : tag));
}

/** The defaults of a JSON Schema, as Cosmos extracts them: a property's `default`, else its nested object's defaults. */
export function schemaDefaults(schema: JsonObject): JsonObject {
  const props = schema.properties;
  if (!isObject(props)) return {};
  const out: Record<string, JsonValue> = {};
  for (const [key, prop] of Object.entries(props)) {
    if (!isObject(prop)) continue;
    if (prop.default !== undefined) out[key] = prop.default;
    else if (isObject(prop.properties)) out[key] = schemaDefaults(prop);
  }
  return out;
}

/** Deep merge of JSON objects; `over` wins, objects merge key by key (Cosmos' merge). */
export function mergeOptions(base: JsonObject, over: JsonObject): JsonObject {
  const out: Record<string, JsonValue> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? mergeOptions(b, v) : v;
  }
  return out;
}

/** Validates options against config.json; each issue is named by its JSON pointer (`/hello/count: must be >= 1`). */
export function validateOptions(schema: JsonObject, options: JsonObject): SpecIssue[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (e) {
    return [{ path: 'config.json', message: `is not a valid JSON Schema: ${(e as Error).message}` }];
  }
  if (validate(options)) return [];
  return (validate.errors ?? []).map(optionIssue);
}

/**
 * Keys of the user's options that config.json does not declare. JSON Schema lets undeclared keys
 * pass unless `additionalProperties: false` (which ajv reports itself), and Cosmos ignored them: a
 * typo (`{"memcache":{"cnt":2}}`) then silently kept the default. A level that declares no
 * properties, or allows others explicitly (additionalProperties, patternProperties), is free-form.
 */
export function unknownOptions(schema: JsonObject, options: JsonObject, at = ''): SpecIssue[] {
  const props = schema.properties;
  if (!isObject(props) || schema.additionalProperties !== undefined || schema.patternProperties !== undefined) return [];
  return Object.entries(options).flatMap(([key, value]) => {
    const prop = props[key];
    if (prop === undefined) return [{ path: `${at}/${key}`, message: `is not an option of this package; options${at ? ` of ${at}` : ''}: ${Object.keys(props).join(', ')}` }];
    return isObject(prop) && isObject(value) ? unknownOptions(prop, value, `${at}/${key}`) : [];
  });
}

/** Without config.json a package takes no options (Cosmos: OptionsNotAllowed). */
const noOptionsAllowed = (userOptions: JsonObject): SpecIssue[] =>
  Object.keys(userOptions).length > 0 ? [{ path: '/', message: 'this package takes no options (no config.json)' }] : [];

function optionIssue(e: ErrorObject): SpecIssue {
  const at = e.instancePath || '';
  if (e.keyword === 'additionalProperties') return { path: `${at}/${String(e.params.additionalProperty)}`, message: 'is not an option of this package' };
  if (e.keyword === 'enum') return { path: at || '/', message: `${e.message}: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
  return { path: at || '/', message: e.message ?? e.keyword };
}

/** Renders marathon.json.mustache over the options, as Cosmos does, and parses the result. */
export function renderMarathon(template: string, options: JsonObject, dir = 'package'): JsonObject {
  const { text } = renderWithView(template, cosmosView(options), String, 'marathon.json.mustache');
  let app: unknown;
  try {
    app = JSON.parse(text);
  } catch (e) {
    throw new PackageError([{ path: 'marathon.json.mustache', message: `does not render to JSON: ${(e as Error).message}` }], dir);
  }
  if (!isObject(app)) throw new PackageError([{ path: 'marathon.json.mustache', message: 'must render to a JSON object' }], dir);
  return app;
}

/** Cosmos' view: strings JSON-escaped (without quotes), numbers as text, arrays also print as JSON. */
export function cosmosView(v: JsonValue): unknown {
  if (typeof v === 'string') return JSON.stringify(v).slice(1, -1);
  if (typeof v === 'number') return String(v);
  if (v === null || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const items = (v as readonly JsonValue[]).map(cosmosView);
    return Object.assign(items, { toString: () => JSON.stringify(v) });
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cosmosView(x)]));
}

function envOf(app: JsonObject): Record<string, string> {
  const env: Record<string, string> = {};
  const block = app.env;
  if (!isObject(block)) return env;
  for (const [k, v] of Object.entries(block)) {
    if (typeof v === 'string') env[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') env[k] = String(v);
  }
  return env;
}

// The service spec language: svc.yml → ServiceSpec (pure), plus the thin IO wrappers that read a
// spec with its config templates, or a DC/OS package directory.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SpecError } from './errors.js';
import { analyzeServiceSpec, attachTemplates, templatePaths } from './parse.js';
import type { Env } from './render.js';
import type { ServiceSpec } from './types.js';

export * from './types.js';
export { issueLines, SpecError } from './errors.js';
export { parseServiceSpec, analyzeServiceSpec, attachTemplates, type ParseOptions, type Analysis } from './parse.js';
export { renderTemplate, type Env, type RenderOptions } from './render.js';
export { parsePlacement } from './placement.js';
export { PORT_MAPPING_NETWORK } from './pod.js';
export { validateConfigUpdate, configId, canonicalJson } from './update.js';
export { findPackage, type PackageLocation } from './package-layout.js';
export { routeTaskEnv, routedEnv } from './task-env-router.js';
export { renderPackage, mergeOptions, PackageError, type RenderPackageOptions, type RenderedPackage, type JsonObject, type JsonValue } from './package.js';

export interface LoadOptions {
  /** Render missing `{{VALUE}}` tags as empty strings instead of rejecting the spec. Default false (strict). */
  readonly lenient?: boolean;
}

/**
 * Reads, renders and parses a spec file, and reads every config template (relative to the spec's
 * directory) into `configs[].content`. A missing spec or template is a SpecError naming it.
 */
export async function loadServiceSpec(file: string, env: Env = {}, options: LoadOptions = {}): Promise<ServiceSpec> {
  const text = await readOrUndefined(file);
  if (text === undefined) throw new SpecError([{ path: '', message: `cannot read ${file}` }], file);
  const { spec, issues } = analyzeServiceSpec(text, env, file, options);
  if (!spec) throw new SpecError(issues, file);
  const contents: Record<string, string | undefined> = {};
  for (const t of templatePaths(spec)) contents[t] = await readOrUndefined(resolve(dirname(file), t));
  const attached = attachTemplates(spec, contents);
  const all = [...issues, ...attached.issues];
  if (all.length > 0) throw new SpecError(all, file);
  return attached.spec;
}

async function readOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

import { readFile } from 'node:fs/promises';
import { SpecError } from './errors.js';
import { parseServiceSpec } from './parse.js';
import type { ServiceSpec } from './types.js';

export * from './types.js';
export { SpecError } from './errors.js';
export { parseServiceSpec, renderTemplate } from './parse.js';

/** Reads and parses a spec file; a missing file is a SpecError naming it. */
export async function loadServiceSpec(file: string, env: Readonly<Record<string, string | undefined>> = {}): Promise<ServiceSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SpecError([{ path: '', message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }], file);
  }
  return parseServiceSpec(text, env, file);
}

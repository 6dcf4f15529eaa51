// `svc install --agents-file agents.json`: the virtual agents described one by one, for placement
// rules on zones, regions and attributes. Every mistake is named by its place in the file.
import { readFileSync } from 'node:fs';
import type { AgentSetting } from '../engine/types.js';
import { LauncherError } from './errors.js';

const SCALARS = ['cpus', 'mem', 'disk'] as const;
const KNOWN = new Set(['zone', 'region', 'attributes', ...SCALARS]);

/** A JSON array with one object per agent: `{"zone", "region", "attributes": {...}, "cpus", "mem", "disk"}`, each optional. */
export function readAgentsFile(file: string): AgentSetting[] {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LauncherError(`cannot read agents file ${file}: ${(e as Error).message}`, 'usage');
  }
  const problems: string[] = [];
  if (!Array.isArray(v) || v.length === 0) problems.push('expected a non-empty JSON array, one object per agent');
  else v.forEach((a, i) => problems.push(...agentProblems(a, `[${i}]`)));
  if (problems.length > 0) throw new LauncherError(`agents file ${file}:\n${problems.map((p) => `- ${p}`).join('\n')}`, 'usage');
  return v as AgentSetting[];
}

function agentProblems(a: unknown, at: string): string[] {
  if (!a || typeof a !== 'object' || Array.isArray(a)) return [`${at}: expected an object`];
  const o = a as Record<string, unknown>;
  const out = Object.keys(o).filter((k) => !KNOWN.has(k)).map((k) => `${at}.${k}: unknown field (known: ${[...KNOWN].join(', ')})`);
  for (const k of ['zone', 'region'] as const) if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === '')) out.push(`${at}.${k}: expected a non-empty string`);
  for (const k of SCALARS) if (o[k] !== undefined && !(typeof o[k] === 'number' && o[k] > 0)) out.push(`${at}.${k}: expected a positive number`);
  if (o.attributes !== undefined) {
    if (!o.attributes || typeof o.attributes !== 'object' || Array.isArray(o.attributes)) out.push(`${at}.attributes: expected an object of name → value`);
    else for (const [k, v] of Object.entries(o.attributes)) if (typeof v !== 'string') out.push(`${at}.attributes.${k}: expected a string`);
  }
  return out;
}

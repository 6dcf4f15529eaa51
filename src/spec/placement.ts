// Placement strings → constraints. Accepted forms, tried in order (as the original):
//   ["hostname", "UNIQUE"]                                   one rule, flat JSON list
//   [["hostname", "UNIQUE"], ["rack_id", "LIKE", "rack-[1-3]"]]   several rules, ANDed
//   hostname:UNIQUE,rack_id:LIKE:rack-[1-3]                   Marathon colon form (\, and \: escape)
// Empty, blank or [] → no rule. Operators are case-insensitive.
import type { PlacementConstraint, PlacementOperator } from './types.js';

const OPERATORS: readonly PlacementOperator[] = ['UNIQUE', 'MAX_PER', 'CLUSTER', 'IS', 'IS_NOT', 'LIKE', 'UNLIKE', 'GROUP_BY'];

export type PlacementResult = { readonly constraints: readonly PlacementConstraint[] } | { readonly error: string };

export function parsePlacement(text: string | undefined): PlacementResult {
  const s = (text ?? '').trim();
  if (s === '') return { constraints: [] };
  const rows = s.startsWith('[') ? jsonRows(s) : colonRows(s);
  if ('error' in rows) return rows;
  const constraints: PlacementConstraint[] = [];
  for (const row of rows.rows) {
    const c = toConstraint(row);
    if (typeof c === 'string') return { error: c };
    constraints.push(c);
  }
  return { constraints };
}

function jsonRows(s: string): { rows: string[][] } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch (e) {
    return { error: `invalid placement JSON: ${(e as Error).message}` };
  }
  const list = parsed as unknown[];
  const nested = list.length > 0 && list.every(Array.isArray);
  const rows = nested ? (list as unknown[][]) : list.length === 0 ? [] : [list];
  const out: string[][] = [];
  for (const row of rows) {
    if (!row.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return { error: `placement rule ${JSON.stringify(row)} must be a list of strings` };
    }
    out.push(row.map(String));
  }
  return { rows: out };
}

/** Splits on an unescaped separator; `\,` and `\:` stand for the separators themselves. */
function splitEscaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && (s[i + 1] === ',' || s[i + 1] === ':')) {
      cur += s[++i];
    } else if (s[i] === sep) {
      parts.push(cur);
      cur = '';
    } else cur += s[i];
  }
  parts.push(cur);
  return parts;
}

function colonRows(s: string): { rows: string[][] } {
  // Split rows first, keeping `\:` escaped for the field split.
  const rows: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === ',') cur += s[++i];
    else if (s[i] === ',') {
      rows.push(cur);
      cur = '';
    } else cur += s[i];
  }
  rows.push(cur);
  return { rows: rows.map((r) => splitEscaped(r, ':').map((f) => f.trim())) };
}

function toConstraint(row: readonly string[]): PlacementConstraint | string {
  if (row.length < 2 || row.length > 3) return `placement rule ${JSON.stringify(row)} must have 2 or 3 entries: [field, OPERATOR, parameter?]`;
  const [rawField, rawOp, value] = row;
  const field = rawField === '@hostname' ? 'hostname' : rawField;
  if (field.trim() === '') return `placement rule ${JSON.stringify(row)} has an empty field`;
  const operator = rawOp.toUpperCase() as PlacementOperator;
  if (!OPERATORS.includes(operator)) return `unknown placement operator ${JSON.stringify(rawOp)} (expected one of ${OPERATORS.join(', ')})`;
  const problem = checkParameter(operator, value);
  if (problem) return `placement rule ${JSON.stringify(row)}: ${problem}`;
  return value === undefined || operator === 'UNIQUE' ? { field, operator } : { field, operator, value };
}

function checkParameter(op: PlacementOperator, value: string | undefined): string | undefined {
  switch (op) {
    case 'UNIQUE':
      return undefined;
    case 'MAX_PER':
      return value !== undefined && /^\d+$/.test(value) && Number(value) >= 1 ? undefined : 'MAX_PER needs an integer >= 1';
    case 'GROUP_BY':
      return value === undefined || (/^\d+$/.test(value) && Number(value) >= 1) ? undefined : 'GROUP_BY takes an optional integer >= 1';
    case 'LIKE':
    case 'UNLIKE':
      if (value === undefined) return `${op} needs a regular expression`;
      try {
        new RegExp(`^(?:${value})$`);
        return undefined;
      } catch {
        return `invalid regular expression ${JSON.stringify(value)}`;
      }
    default:
      return value === undefined ? `${op} needs a value` : undefined;
  }
}

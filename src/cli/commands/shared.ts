// Small helpers every command module shares: JSON output, help examples, friendly 404s.
import { InvalidArgumentError, type Command } from 'commander';
import { ApiError } from '../../client/errors.js';
import type { GlobalOptions } from '../deps.js';
import { failed } from '../errors.js';
import { reindentJson } from '../render/json.js';

/** JSON the CLI builds itself (lists, summaries), pretty-printed. */
export const toJson = (body: unknown): string => JSON.stringify(body, null, 2) + '\n';
/** An API response's JSON as the original CLI printed it: the scheduler's bytes, re-indented. */
export const apiJson = (res: { readonly text: string }): string => reindentJson(res.text);

/** Adds the "Examples:" block every command's --help ends with. */
export function examples<C extends Command>(cmd: C, ...lines: string[]): C {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}

/** Runs `work`; a 404 becomes a one-line error built by `explain` (which may ask the API what exists). */
export async function on404<T>(work: () => Promise<T>, explain: (e: ApiError) => string | Promise<string>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) throw failed(await explain(e));
    throw e;
  }
}

/** "a, b, c", or "none" — for "…; plans: deploy, recovery" hints. */
export const listOrNone = (names: readonly string[]): string => (names.length > 0 ? names.join(', ') : 'none');

/** The program's global options as a command sees them (main.ts folds those given after a command name in). */
export function globalsOf(cmd: Command): GlobalOptions {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root.opts<GlobalOptions>();
}

// Option parsers. Commander puts the option's name in front of the message:
// "option '--agents <n>' argument '0' is invalid: expected a positive integer", exit 2.

/** A whole number > 0. */
export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** A number > 0 (fractions allowed). */
export function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

/** A whole number ≥ 0. */
export function count(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number (0 or more)');
  return n;
}

// Where `svc update start --options` takes the options from: a JSON file, or stdin when the value
// is `-` (or `stdin`, as the original CLI spells it).
import type { CliDeps } from '../../deps.js';
import { usageError } from '../../errors.js';
import type { JsonObject } from '../../launcher-port.js';

/** Standard input as the verb sees it: whether it is a terminal, and all of it once it closes. */
export interface Stdin {
  readonly isTTY: boolean;
  read(): Promise<string>;
}

export const processStdin = (): Stdin => ({
  isTTY: !!process.stdin.isTTY,
  async read() {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
});

const FROM_STDIN = new Set(['-', 'stdin']);

/** The options of `--options <arg>`, or undefined without it. */
export async function optionsOf(arg: string | undefined, deps: CliDeps, stdin: () => Stdin): Promise<JsonObject | undefined> {
  if (!arg) return undefined;
  if (!FROM_STDIN.has(arg)) return (await deps.launcher()).readOptions(arg);
  const input = stdin();
  if (input.isTTY) throw usageError(`--options ${arg} reads the options JSON from stdin, which is a terminal here; pipe it in (svc update start --options - < options.json) or give a file`);
  const text = await input.read();
  if (text.trim() === '') throw usageError(`--options ${arg}: nothing on stdin; pipe the options JSON in, or give a file`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw usageError(`--options ${arg}: stdin is not JSON: ${(e as Error).message}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw usageError(`--options ${arg}: stdin must hold a JSON object, got ${Array.isArray(v) ? 'an array' : JSON.stringify(v)}`);
  return v as JsonObject;
}

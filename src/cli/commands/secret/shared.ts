// What the `svc secret` verbs share: the store of $SVC_HOME, where a value comes from, and the
// mapping of store errors to exit codes.
import { readFileSync } from 'node:fs';
import type { CliDeps } from '../../deps.js';
import { CliError, failed, usageError } from '../../errors.js';
import type { SecretStore } from '../../../secrets/index.js';

export interface ValueOpts {
  value?: string;
  file?: string;
}

/** Reads the value piped to stdin; refuses a terminal (the value would echo). */
export type StdinReader = () => Promise<Buffer>;

export const processStdin: StdinReader = async () => {
  if (process.stdin.isTTY) throw usageError('give the value with --value <v> or --file <f>, or pipe it to stdin (it is not read from a terminal)');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

export async function storeOf(deps: CliDeps): Promise<SecretStore> {
  const { SecretStore } = await import('../../../secrets/index.js');
  return SecretStore.forHome(deps.svcHome(), deps.env);
}

export async function valueOf(o: ValueOpts, readStdin: StdinReader): Promise<Buffer> {
  if (o.value !== undefined && o.file !== undefined) throw usageError('give either --value or --file, not both');
  if (o.value !== undefined) return Buffer.from(o.value, 'utf8');
  if (o.file !== undefined) {
    try {
      return readFileSync(o.file);
    } catch (e) {
      throw usageError(`--file ${o.file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }
  const piped = await readStdin();
  // stdin closed at once (</dev/null, a detached job) is more likely a mistake than an empty secret
  if (piped.length === 0) throw usageError("nothing on stdin; give the value with --value, --file or a pipe (an empty secret: --value '')");
  return piped;
}

/** Runs a store operation; its errors become CLI errors with the store's message. */
export async function withStore<T>(deps: CliDeps, work: (store: SecretStore) => T | Promise<T>): Promise<T> {
  const store = await storeOf(deps);
  try {
    return await work(store);
  } catch (e) {
    if (e instanceof CliError) throw e;
    const err = e as Error & { kind?: string };
    if (err.name !== 'SecretError') throw e;
    throw err.kind === 'usage' ? usageError(err.message) : err.kind === 'not-found' ? failed(err.message) : failed(err.message);
  }
}

// Typed CLI errors; main.ts alone turns them into exit codes:
// 0 ok, 1 operation failed, 2 usage error, 3 service unreachable or not installed.
import { ApiError, UnreachableError } from '../client/errors.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3,
    /** For `task exec`: the command's own exit status, passed through silently. */
    readonly passThrough?: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (msg: string) => new CliError(msg, 2);
export const failed = (msg: string) => new CliError(msg, 1);
export const unreachable = (msg: string) => new CliError(msg, 3);

interface KindedError {
  kind?: string;
}

/** Maps an error from any layer below to a CliError. */
export function toCliError(e: unknown): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof UnreachableError) return unreachable(`${e.message}; is the service installed and its scheduler running? (svc services)`);
  if (e instanceof ApiError) return e.status === 404 ? new CliError(e.message, 1) : failed(e.message);
  const err = e as Error & KindedError;
  if (err?.name === 'LauncherError' || err?.name === 'SpecError') {
    const code = err.kind === 'usage' ? 2 : err.kind === 'not-found' ? 3 : err.name === 'SpecError' ? 2 : 1;
    return new CliError(err.message, code);
  }
  return failed(err?.stack ?? String(e));
}

// Typed CLI errors; main.ts alone turns them into exit codes:
// 0 ok, 1 operation failed, 2 usage error, 3 service unreachable or not installed, 130 a wait
// stopped by Ctrl-C (or Ctrl-\) while the work goes on.
import { ApiError, TimeoutError, UnreachableError } from '../client/errors.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3 | 130,
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
/** The operator stopped a wait; `msg` says what keeps going and where to watch it. */
export const interrupted = (msg: string) => new CliError(msg, 130);

interface KindedError {
  kind?: string;
}

/** Maps an error from any layer below to a CliError; `verbose` adds the stack of unexpected errors. */
export function toCliError(e: unknown, verbose = false): CliError {
  if (e instanceof CliError) return e;
  if (e instanceof TimeoutError) return unreachable(e.message);
  if (e instanceof UnreachableError) return unreachable(`${e.message}; is the service installed and its scheduler running? (svc services)`);
  if (e instanceof ApiError) {
    if (e.status >= 500) return failed(`${e.message} (the scheduler failed to answer; its log is scheduler.log in the service's folder under $SVC_HOME)`);
    return failed(e.message);
  }
  const err = e as Error & KindedError;
  if (err?.name === 'LauncherError' || err?.name === 'SpecError') {
    const code = err.kind === 'usage' ? 2 : err.kind === 'not-found' ? 3 : err.name === 'SpecError' ? 2 : 1;
    return new CliError(err.message, code);
  }
  // Ctrl-C at a prompt (@inquirer/prompts)
  if (err?.name === 'ExitPromptError' || err?.name === 'AbortPromptError') return failed('cancelled; nothing was changed');
  if (err instanceof SyntaxError && /JSON/.test(err.message)) return failed(`the scheduler sent a reply that is not valid JSON: ${err.message}`);
  const what = err instanceof Error ? err.message : String(e);
  return failed(verbose && err instanceof Error && err.stack ? `internal error: ${err.stack}` : `internal error: ${what} (run with --verbose for the stack trace)`);
}

// A service's state in `svc services`, from its home's markers and its scheduler's health code: small,
// so the CLI's lean path (src/cli/fast.ts) shares it without loading the launcher.
import { existsSync } from 'node:fs';
import type { ServiceHome } from './home.js';

/**
 * FAILING: a task keeps failing (a crash loop, or its relaunch backs off); RECOVERING: tasks are being
 * relaunched; STOPPED: `svc stop` stopped its scheduler (its tasks keep running); DOWN: the scheduler
 * is not running, and no one stopped it (or it does not answer).
 */
export type ServiceStatus = 'RUNNING' | 'DEPLOYING' | 'RECOVERING' | 'FAILING' | 'UNINSTALLING' | 'STOPPED' | 'DOWN' | 'FAILED';

/** Written by `svc stop`, removed when a scheduler is started again. */
export const STOPPED_MARKER = 'stopped';

/** The state the home alone tells (undefined: ask the scheduler at `url`). */
export function statusOfHome(home: Pick<ServiceHome, 'uninstalling' | 'path'>, url: string | null): ServiceStatus | undefined {
  if (home.uninstalling()) return 'UNINSTALLING';
  if (existsSync(home.path('failed'))) return 'FAILED';
  if (url) return undefined;
  return existsSync(home.path(STOPPED_MARKER)) ? 'STOPPED' : 'DOWN';
}

/** The state a GET /v1/health code means (undefined: no answer). */
export function statusOfHealth(code: number | undefined): ServiceStatus {
  if (code === undefined) return 'DOWN';
  if (code === 200 || code === 320 || code === 321) return 'RUNNING';
  if (code === 208) return 'FAILING';
  return code === 203 || code === 205 ? 'RECOVERING' : 'DEPLOYING';
}

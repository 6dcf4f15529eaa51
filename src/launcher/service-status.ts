// A service's state in `svc services`, from its scheduler's health code: pure, so the CLI's lean path
// (src/cli/fast.ts) shares it without loading the launcher.

/** FAILING: a task keeps failing (a crash loop, or its relaunch backs off); RECOVERING: tasks are being relaunched. */
export type ServiceStatus = 'RUNNING' | 'DEPLOYING' | 'RECOVERING' | 'FAILING' | 'UNINSTALLING' | 'DOWN' | 'FAILED';

/** The state a GET /v1/health code means (undefined: no answer). */
export function statusOfHealth(code: number | undefined): ServiceStatus {
  if (code === undefined) return 'DOWN';
  if (code === 200 || code === 320 || code === 321) return 'RUNNING';
  if (code === 208) return 'FAILING';
  return code === 203 || code === 205 ? 'RECOVERING' : 'DEPLOYING';
}

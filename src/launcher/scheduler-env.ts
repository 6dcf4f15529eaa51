// The scheduler's environment, as Marathon gave it to the original's scheduler: a package's
// rendered `env` block, or (plain svc.yml) the installing shell's env, plus the Marathon-style port
// variables of the scheduler's API port. It renders svc.yml, routes TASKCFG_* to tasks, and is
// kept in the service folder (scheduler-env.json) for what the scheduler reads at run time.
import { createServer } from 'node:net';
import type { Env, JsonObject } from '../spec/index.js';

/**
 * From a plain spec's install environment only these are kept: the keys the scheduler reads. The
 * rest of a shell's env (credentials, paths) never reaches the service folder.
 */
const KEPT_KEYS = new Set([
  'SERVICE_TLD',
  'VIP_TLD',
  'ENABLE_BACKOFF',
  'FRAMEWORK_BACKOFF_FACTOR',
  'FRAMEWORK_INITIAL_BACKOFF',
  'FRAMEWORK_MAX_LAUNCH_DELAY',
  'PERMANENT_FAILURE_TIMEOUT_SECS',
]);

export function keptShellEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && (k.startsWith('TASKCFG_') || KEPT_KEYS.has(k))) out[k] = v;
  return out;
}

/**
 * Marathon's port variables for the scheduler app: `PORT<i>`, `PORT_<NAME>` per named port
 * definition, and `PORTS`. svc gives the scheduler one port, its API's, so only the first
 * definition gets a number; a plain spec's scheduler has one port named `api`, like the packages'.
 */
export function marathonPortEnv(apiPort: number, app?: JsonObject): Record<string, string> {
  const defs = Array.isArray(app?.portDefinitions) ? (app.portDefinitions as JsonObject[]) : [{ name: 'api' }];
  const env: Record<string, string> = { PORT0: String(apiPort), PORTS: String(apiPort), PORT: String(apiPort) };
  const name = defs[0]?.name;
  if (typeof name === 'string' && name) env[`PORT_${name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`] = String(apiPort);
  return env;
}

/** A TCP port free on the loopback right now, for a new service's API. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

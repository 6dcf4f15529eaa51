// How a service's image pulls reach registries, settled where svc is invoked: the auth file of the
// user who runs svc (a path, recorded in service.json; its contents stay where the user keeps them)
// and the `--insecure-registry` flags, checked here before anything is created.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EngineKind } from '../engine/registry.js';
import { insecureRegistryProblem, type RegistryAccess } from '../engine/local/registries.js';
import { LauncherError } from './errors.js';

/**
 * Where the containers tools and docker keep registry credentials, in the order skopeo reads them:
 * `REGISTRY_AUTH_FILE` alone when set; else `$XDG_RUNTIME_DIR/containers/auth.json`,
 * `~/.config/containers/auth.json`, then docker's `config.json` (`$DOCKER_CONFIG` or `~/.docker`).
 * The first that exists at pull time is used, so a login after install is seen.
 */
export function registryAuthFiles(env: NodeJS.ProcessEnv): string[] {
  if (env.REGISTRY_AUTH_FILE) return [resolve(env.REGISTRY_AUTH_FILE)];
  const home = env.HOME || homedir();
  return [
    ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json')] : []),
    join(home, '.config', 'containers', 'auth.json'),
    join(env.DOCKER_CONFIG ? resolve(env.DOCKER_CONFIG) : join(home, '.docker'), 'config.json'),
  ];
}

/** `--insecure-registry` values checked, each refused by the flag with why. */
export function checkInsecureRegistries(values: readonly string[]): string[] {
  for (const v of values) {
    const problem = insecureRegistryProblem(v);
    if (problem) throw new LauncherError(`--insecure-registry ${JSON.stringify(v)}: ${problem} (expected host[:port] of a registry, e.g. 192.0.2.2:5000)`, 'usage');
  }
  return [...new Set(values)];
}

/** The registry access of a new service on `engine`; the Kubernetes engine's nodes pull for themselves. */
export function registryAccess(engine: EngineKind, insecure: readonly string[] | undefined, env: NodeJS.ProcessEnv): RegistryAccess | undefined {
  if (engine !== 'local') {
    if (insecure?.length) throw new LauncherError(`--insecure-registry: only for --engine local (the ${engine} engine's nodes pull images with their own settings)`, 'usage');
    return undefined;
  }
  const flags = checkInsecureRegistries(insecure ?? []);
  return { authFiles: registryAuthFiles(env), ...(flags.length > 0 ? { insecure: flags } : {}) };
}

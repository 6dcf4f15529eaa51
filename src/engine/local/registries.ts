// How the image store reaches registries on behalf of a service: whose credentials (an auth file's
// path, resolved where svc was invoked, never its contents) and which registries speak plain HTTP.
// skopeo reads the file itself at each pull, so a `docker login` after install is seen at once.
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';

export interface RegistryAccess {
  /**
   * Auth files in order of preference (REGISTRY_AUTH_FILE, else the containers and docker
   * defaults of the user who ran svc); the first that exists at pull time is skopeo's
   * `--src-authfile`; none: anonymous. Absent: skopeo's own defaults (services installed before).
   */
  readonly authFiles?: readonly string[];
  /** `host[:port]` of registries trusted over plain HTTP (`--insecure-registry`). */
  readonly insecure?: readonly string[];
}

/** Docker Hub, where plain names (`memcached:1.6`) come from. */
export const DOCKER_HUB = 'docker.io';

/** The registry (`host[:port]`) of a reference, as docker reads it: a first component with `.` or `:`, or `localhost`. */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0];
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? first : DOCKER_HUB;
}

/** skopeo's `docker://` form of a reference: plain names mean Docker Hub, as they do for docker. */
export function dockerUrl(ref: string): string {
  if (registryOf(ref) !== DOCKER_HUB || ref.startsWith(`${DOCKER_HUB}/`)) return `docker://${ref}`;
  return `docker://${DOCKER_HUB}/${ref.includes('/') ? ref : `library/${ref}`}`;
}

const hostOf = (registry: string) => registry.replace(/:[0-9]+$/, '');

/** On loopback: traffic that never leaves this machine (Docker too treats 127.0.0.0/8 as insecure). */
export function isLoopbackRegistry(registry: string): boolean {
  const host = hostOf(registry);
  return host === 'localhost' || /^127\./.test(host) || host === '[::1]';
}

/** Whether a pull of `ref` verifies TLS: yes, except on loopback and for the registries given as insecure (exactly `host[:port]`). */
export function tlsVerified(ref: string, insecure: readonly string[] = []): boolean {
  const registry = registryOf(ref).toLowerCase();
  return !isLoopbackRegistry(registry) && !insecure.some((r) => r.toLowerCase() === registry);
}

const DNS_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * Why `value` is not a registry for `--insecure-registry` (a host name or IPv4 address, with an
 * optional port, exactly as image references name it: no scheme, no path), or undefined.
 */
export function insecureRegistryProblem(value: string): string | undefined {
  if (value === '') return 'empty';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return 'a registry, not a URL: drop the scheme';
  if (value.includes('/')) return 'a registry host[:port], without a path';
  const m = /^([^:]+)(?::([0-9]{1,5}))?$/.exec(value);
  if (!m) return 'not of the form host[:port]';
  const [, host, port] = m;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `port ${port} is not 1-65535`;
  if (isIP(host) !== 4 && (host.length > 253 || !DNS_NAME.test(host))) return `${JSON.stringify(host)} is neither a host name nor an IPv4 address`;
  return undefined;
}

/** The auth file skopeo is given for a pull: the first of `files` that exists, or undefined (anonymous). */
export function authFileNow(files: readonly string[]): string | undefined {
  return files.find((f) => existsSync(f));
}

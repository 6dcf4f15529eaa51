// Secret paths and who may read them. A path names a secret in the store (`hello-world/secret1`);
// it never names a file on disk (files are named by a digest of the path), yet it is validated
// strictly so that names stay readable and unambiguous in `svc secret list`.
import { SecretError } from './errors.js';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_PATH = 512;

/** The path as stored, or a SecretError naming what is wrong with it. */
export function validateSecretPath(path: string): string {
  const show = JSON.stringify(path);
  if (path.length === 0) throw new SecretError('secret path is empty; expected e.g. hello-world/secret1', 'usage');
  if (path.length > MAX_PATH) throw new SecretError(`secret path is longer than ${MAX_PATH} characters`, 'usage');
  if (path.startsWith('/')) throw new SecretError(`secret path ${show} is absolute; secret paths are relative, e.g. hello-world/secret1`, 'usage');
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') throw new SecretError(`secret path ${show} has an empty, "." or ".." segment`, 'usage');
    if (!SEGMENT.test(seg)) throw new SecretError(`secret path ${show}: segment ${JSON.stringify(seg)} may hold only letters, digits, ".", "_" and "-"`, 'usage');
  }
  return path;
}

/** A prefix for `svc secret list`: a path, or a path with a trailing `/`, or empty for all. */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return '';
  const bare = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  validateSecretPath(bare);
  return prefix;
}

/**
 * The "space" of a service, as the original labelled its tasks with DCOS_SPACE = the service's
 * Marathon id (`/hello-world`, `/dev/kafka`), without the leading slash.
 */
export const serviceSpace = (serviceName: string): string => serviceName.replace(/^\/+/, '').replace(/\/+$/, '');

/**
 * May a service read this secret? DC/OS let a task read a secret whose folder is the task's space
 * or one of its ancestors (DC/OS docs "Spaces": `group/secret` is readable by `/group/hdfs/service`,
 * `group/hdfs/secret` is not readable by `/group/service`), and the SDK keeps everything a service
 * owns under its own name (`hello-world/…`, TLSArtifactsPersister writes under the service's
 * namespace). On one machine every service shares one store, so svc keeps the rule but drops the
 * root: a service reads secrets under its own name (any depth), or directly in a group folder that
 * holds it (`dev/x` for `dev/kafka`), never another service's secrets nor root-level ones.
 */
export function mayRead(serviceName: string, secretPath: string): boolean {
  const space = serviceSpace(serviceName);
  if (secretPath.startsWith(`${space}/`)) return true;
  const folder = secretPath.includes('/') ? secretPath.slice(0, secretPath.lastIndexOf('/')) : '';
  return folder !== '' && `${space}/`.startsWith(`${folder}/`) && folder !== space;
}

/** Throws a SecretError unless the service may read the path. */
export function checkScope(serviceName: string, secretPath: string, where: string): void {
  validateSecretPath(secretPath);
  if (!mayRead(serviceName, secretPath)) {
    throw new SecretError(
      `${where}: secret ${JSON.stringify(secretPath)} is outside the scope of service ${JSON.stringify(serviceName)}; a service reads only secrets under its own name (${serviceSpace(serviceName)}/…) or in a group folder that holds it`,
      'denied',
    );
  }
}

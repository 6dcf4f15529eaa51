// The Kubernetes flags of install, run and attach, checked before anything is created: every value
// ends up in API paths, label selectors or pod specs, so a bad one is refused here, by its flag.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineKind, KubernetesSettings } from '../engine/registry.js';
import { LauncherError } from './errors.js';

/** As given on the command line; the launcher fills in defaults. */
export interface KubernetesFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly defaultImage?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly storageClass?: string;
}

export const DEFAULT_NAMESPACE = 'default';
/** Has sh (the pod command runs through it) and is small; the smoke script uses the same. */
export const DEFAULT_IMAGE = 'busybox:1.36';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const usage = (msg: string) => new LauncherError(msg, 'usage');

/** A label key (`[prefix/]name`) and value as Kubernetes accepts them. */
function checkLabel(key: string, value: string): void {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) throw usage(`--node-selector ${key}=${value}: the key's prefix ${JSON.stringify(prefix)} is not a DNS subdomain`);
  if (name.length > 63 || !LABEL_NAME.test(name)) throw usage(`--node-selector ${key}=${value}: ${JSON.stringify(name)} is not a label name (letters, digits, '-', '_', '.', at most 63)`);
  if (value !== '' && (value.length > 63 || !LABEL_NAME.test(value))) throw usage(`--node-selector ${key}=${value}: ${JSON.stringify(value)} is not a label value (letters, digits, '-', '_', '.', at most 63)`);
}

/**
 * The flags checked and completed for the engine chosen: Kubernetes flags with another engine are
 * refused (they would be silently ignored), a namespace or storage class must be a DNS name, a
 * context a plain name (kubeconfig contexts are often not DNS labels, e.g. EKS ARNs), the
 * kubeconfig an existing file (recorded as an absolute path, so the scheduler finds it from its home).
 */
export function kubernetesSettings(engine: EngineKind, f: KubernetesFlags = {}): KubernetesSettings | undefined {
  const given = Object.entries(f).filter(([, v]) => v !== undefined).map(([k]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (engine !== 'kubernetes') {
    if (given.length > 0) throw usage(`${given.join(', ')}: only for --engine kubernetes`);
    return undefined;
  }
  const namespace = f.namespace ?? DEFAULT_NAMESPACE;
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) throw usage(`--namespace ${JSON.stringify(namespace)}: not a namespace name (a DNS label: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)`);
  if (f.context !== undefined && (f.context === '' || f.context.length > 253 || /[\s\x00-\x1f\x7f]/.test(f.context))) throw usage(`--context ${JSON.stringify(f.context)}: not a context name (1 to 253 characters, no spaces or control characters)`);
  if (f.storageClass !== undefined && (f.storageClass.length > 253 || !DNS_SUBDOMAIN.test(f.storageClass))) throw usage(`--storage-class ${JSON.stringify(f.storageClass)}: not a storage class name (a DNS subdomain: lower-case letters, digits, '-' and '.')`);
  const image = f.defaultImage ?? DEFAULT_IMAGE;
  if (image === '' || image.length > 1024 || /[\s\x00-\x1f\x7f]/.test(image)) throw usage(`--default-image ${JSON.stringify(image)}: not an image reference`);
  for (const [k, v] of Object.entries(f.nodeSelector ?? {})) checkLabel(k, v);
  let kubeconfig: string | undefined;
  if (f.kubeconfig !== undefined) {
    kubeconfig = resolve(f.kubeconfig);
    if (!existsSync(kubeconfig)) throw usage(`--kubeconfig ${f.kubeconfig}: no such file`);
  }
  return {
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(f.context !== undefined ? { context: f.context } : {}),
    namespace,
    defaultImage: image,
    ...(f.nodeSelector && Object.keys(f.nodeSelector).length > 0 ? { nodeSelector: f.nodeSelector } : {}),
    ...(f.storageClass !== undefined ? { storageClass: f.storageClass } : {}),
  };
}

// Secrets and TLS artifacts for a launch, resolved when the task starts and never stored: `env-key`
// secrets go to TaskLaunch.secretEnv (not the persisted task env), `file` secrets and certificates
// become 0400 files in the sandbox. A new certificate is issued at every launch (renewal on
// relaunch). The store and the CA are behind SecretSource, which the launcher builds: the scheduler
// touches no file itself.
import type { SandboxFile, TaskLaunch } from '../engine/types.js';
import { checkScope } from '../secrets/paths.js';
import type { PodSpec, ServiceSpec, TaskSpec } from '../spec/index.js';
import { taskDnsName } from './service-context.js';

export interface CertificateArtifacts {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caPem: string;
  /** PKCS#12, present when asked for. */
  readonly keystore?: Buffer;
  readonly truststore?: Buffer;
}

export interface SecretSource {
  /** The secret's value; throws (naming the path) when it does not exist. */
  read(path: string): Buffer;
  /** A new certificate for a task of `podInstance` (which is restarted when it nears expiry). */
  certificate(req: { readonly commonName: string; readonly dnsNames: readonly string[]; readonly ips: readonly string[] }, keystores: boolean, podInstance: string): Promise<CertificateArtifacts>;
}

export interface LaunchPlace {
  readonly podIndex: number;
  readonly agentIp: string;
}

const READ_ONLY = 0o400;
const noSlashes = (s: string) => s.replace(/\//g, '');

/** The names a task's certificate is valid for, as the original's CertificateNamesGenerator. */
export function certificateNames(spec: ServiceSpec, task: TaskSpec, taskName: string, place: LaunchPlace): { commonName: string; dnsNames: string[]; ips: string[] } {
  const dnsTask = task.discovery?.prefix ? `${task.discovery.prefix}-${place.podIndex}` : taskName;
  const vips = task.ports.flatMap((p) => (p.vip ? [`${p.vip.prefix}.${noSlashes(spec.name)}.l4lb.thisdcos.directory`] : []));
  return {
    commonName: `${noSlashes(taskName.replace(/\./g, '-'))}.${noSlashes(spec.name.replace(/\./g, '-'))}`,
    dnsNames: [taskDnsName(spec.name, dnsTask), ...vips],
    ips: [place.agentIp],
  };
}

export async function deliverSecrets(source: SecretSource | undefined, spec: ServiceSpec, pod: PodSpec, task: TaskSpec, launch: TaskLaunch, place: LaunchPlace): Promise<TaskLaunch> {
  if (pod.secrets.length === 0 && task.transportEncryption.length === 0) return launch;
  if (!source) throw new Error('not supported: this scheduler has no secret store for secrets and transport-encryption');
  const env: Record<string, string> = {};
  const files: SandboxFile[] = [];
  for (const s of pod.secrets) {
    checkScope(spec.name, s.secret, `pods.${pod.name}.secrets.${s.name}.secret`);
    const value = source.read(s.secret);
    if (s.envKey) env[s.envKey] = value.toString('utf8');
    if (s.file) files.push({ path: s.file, content: value.toString('base64'), encoding: 'base64', mode: READ_ONLY });
  }
  if (task.transportEncryption.length > 0) {
    const keystores = task.transportEncryption.some((t) => t.type === 'KEYSTORE');
    const a = await source.certificate(certificateNames(spec, task, launch.name, place), keystores, `${pod.name}-${place.podIndex}`);
    for (const t of task.transportEncryption) {
      if (t.type === 'TLS') {
        files.push({ path: `${t.name}.crt`, content: a.certPem, mode: READ_ONLY });
        files.push({ path: `${t.name}.key`, content: a.keyPem, mode: READ_ONLY });
        files.push({ path: `${t.name}.ca`, content: a.caPem, mode: READ_ONLY });
      } else if (a.keystore && a.truststore) {
        files.push({ path: `${t.name}.keystore`, content: a.keystore.toString('base64'), encoding: 'base64', mode: READ_ONLY });
        files.push({ path: `${t.name}.truststore`, content: a.truststore.toString('base64'), encoding: 'base64', mode: READ_ONLY });
      }
    }
  }
  return { ...launch, files: [...launch.files, ...files], secretEnv: { ...launch.secretEnv, ...env } };
}

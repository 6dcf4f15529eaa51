// What the Kubernetes engine cannot run yet, found before install with the field's YAML path.
import type { ServiceSpec, SpecIssue } from '../../spec/index.js';

const no = (path: string, why: string): SpecIssue => ({ path, message: `not supported by the kubernetes engine: ${why}` });

export function unsupportedFields(spec: ServiceSpec): SpecIssue[] {
  return spec.pods.flatMap((pod) => {
    const at = `pods.${pod.name}`;
    const issues: SpecIssue[] = [];
    if (pod.uris.length > 0) issues.push(no(`${at}.uris`, 'fetching uris (an init container) is not built yet; bake them into the image'));
    if (pod.hostVolumes.length > 0) issues.push(no(`${at}.host-volumes`, 'host volumes'));
    if (pod.externalVolumes.length > 0) issues.push(no(`${at}.external-volumes`, 'external volumes; use PVCs (volumes:)'));
    if (pod.seccompProfileName) issues.push(no(`${at}.seccomp-profile-name`, 'seccomp profiles'));
    for (const v of pod.volumes) if (v.profiles.length > 0) issues.push(no(`${at}.volumes.${v.name}.profiles`, 'volume profiles; the storage class is chosen at install'));
    for (const task of pod.tasks) {
      const t = `${at}.tasks.${task.name}`;
      if (task.gpus > 0) issues.push(no(`${t}.gpus`, 'GPUs'));
      if (task.transportEncryption.length > 0) issues.push(no(`${t}.transport-encryption`, 'TLS artifacts need a certificate authority'));
      if (task.shmSize !== undefined) issues.push(no(`${t}.shm-size`, 'a private /dev/shm size'));
      for (const v of task.volumes) if (v.profiles.length > 0) issues.push(no(`${t}.volumes.${v.name}.profiles`, 'volume profiles; the storage class is chosen at install'));
    }
    return issues;
  });
}

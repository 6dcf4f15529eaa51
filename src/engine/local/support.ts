// What the local engine cannot run, found before install so the user hears it at once, with the
// field's YAML path, rather than from a task that fails later.
import type { ServiceSpec, SpecIssue } from '../../spec/index.js';
import { containerRuntimeMissing, hostIsolationMissing } from './runtime-check.js';

const no = (path: string, why: string): SpecIssue => ({ path, message: `not supported by the local engine: ${why}` });

export function unsupportedFields(spec: ServiceSpec): SpecIssue[] {
  return spec.pods.flatMap((pod) => {
    const at = `pods.${pod.name}`;
    const issues: SpecIssue[] = [];
    const runtime = pod.image ? containerRuntimeMissing() : undefined;
    if (runtime) issues.push(no(`${at}.image`, runtime));
    const isolation = !pod.image && (pod.hostVolumes.length > 0 || pod.shmSize !== undefined || pod.tasks.some((t) => t.shmSize !== undefined)) ? hostIsolationMissing() : undefined;
    if (pod.networks.length > 0) issues.push(no(`${at}.networks`, 'virtual networks; tasks use their agent\'s loopback IP'));
    if (pod.secrets.length > 0) issues.push(no(`${at}.secrets`, 'there is no secret store'));
    if (pod.hostVolumes.length > 0 && isolation) issues.push(no(`${at}.host-volumes`, isolation));
    for (const v of pod.image ? [] : pod.hostVolumes) {
      if (v.containerPath.startsWith('/') || v.containerPath.split('/').includes('..')) issues.push(no(`${at}.host-volumes.${v.name}.container-path`, 'a task without `image:` gets host volumes inside its sandbox: use a relative path'));
    }
    if (pod.externalVolumes.length > 0) issues.push(no(`${at}.external-volumes`, 'external (docker) volumes'));
    if (pod.seccompProfileName && !pod.image) issues.push(no(`${at}.seccomp-profile-name`, 'seccomp profiles need `image:` (tasks without one are host processes)'));
    if (pod.shmSize !== undefined && isolation) issues.push(no(`${at}.shm-size`, isolation));
    for (const v of pod.volumes) if (v.profiles.length > 0) issues.push(no(`${at}.volumes.${v.name}.profiles`, 'volume profiles'));
    for (const task of pod.tasks) {
      const t = `${at}.tasks.${task.name}`;
      if (task.gpus > 0) issues.push(no(`${t}.gpus`, 'GPUs'));
      if (task.transportEncryption.length > 0) issues.push(no(`${t}.transport-encryption`, 'TLS artifacts need a certificate authority'));
      if (task.shmSize !== undefined && isolation) issues.push(no(`${t}.shm-size`, isolation));
      for (const v of task.volumes) if (v.profiles.length > 0) issues.push(no(`${t}.volumes.${v.name}.profiles`, 'volume profiles'));
    }
    return issues;
  });
}

const ULIMIT_FLAGS: Readonly<Record<string, { flag: string; bytes?: boolean }>> = {
  RLIMIT_AS: { flag: 'v', bytes: true },
  RLIMIT_CORE: { flag: 'c', bytes: true },
  RLIMIT_CPU: { flag: 't' },
  RLIMIT_DATA: { flag: 'd', bytes: true },
  RLIMIT_FSIZE: { flag: 'f', bytes: true },
  RLIMIT_LOCKS: { flag: 'x' },
  RLIMIT_MEMLOCK: { flag: 'l', bytes: true },
  RLIMIT_MSGQUEUE: { flag: 'q' },
  RLIMIT_NICE: { flag: 'e' },
  RLIMIT_NOFILE: { flag: 'n' },
  RLIMIT_NPROC: { flag: 'u' },
  RLIMIT_RSS: { flag: 'm', bytes: true },
  RLIMIT_RTPRIO: { flag: 'r' },
  RLIMIT_SIGPENDING: { flag: 'i' },
  RLIMIT_STACK: { flag: 's', bytes: true },
};

/**
 * The spec's rlimits as a shell prefix (`ulimit -H -n 2048 && ulimit -S -n 1024 && `): the task's
 * shell sets them on itself before running the command. Byte limits become the KiB ulimit takes.
 */
export function rlimitPrefix(rlimits: ReadonlyArray<{ readonly name: string; readonly soft?: number; readonly hard?: number }>): string {
  const value = (n: number | undefined, bytes?: boolean) => (n === undefined || n < 0 ? 'unlimited' : String(bytes ? Math.ceil(n / 1024) : n));
  return rlimits
    .flatMap((r) => {
      const f = ULIMIT_FLAGS[r.name];
      if (!f) return [];
      return [`ulimit -H -${f.flag} ${value(r.hard, f.bytes)}`, `ulimit -S -${f.flag} ${value(r.soft, f.bytes)}`];
    })
    .map((c) => `${c} && `)
    .join('');
}

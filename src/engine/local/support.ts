// What the local engine cannot run, found before install so the user hears it at once, with the
// field's YAML path, rather than from a task that fails later.
import type { ServiceSpec, SpecIssue } from '../../spec/index.js';
import { taskUser } from './task-user.js';
import { containerRuntimeMissing, hostIsolationMissing } from './runtime-check.js';
import { networkNameProblem, podNetworkMissing } from './pod-network.js';

const no = (path: string, why: string): SpecIssue => ({ path, message: `not supported by the local engine: ${why}` });

export function unsupportedFields(spec: ServiceSpec): SpecIssue[] {
  const as = taskUser(spec.scheduler.user);
  const user: SpecIssue[] = 'error' in as ? [{ path: 'scheduler.user', message: as.error }] : [];
  return [...user, ...podIssues(spec)];
}

function podIssues(spec: ServiceSpec): SpecIssue[] {
  return spec.pods.flatMap((pod) => {
    const at = `pods.${pod.name}`;
    const issues: SpecIssue[] = [];
    const runtime = pod.image ? containerRuntimeMissing() : undefined;
    if (runtime) issues.push(no(`${at}.image`, runtime));
    const isolation = !pod.image && (pod.hostVolumes.length > 0 || pod.shmSize !== undefined || pod.tasks.some((t) => t.shmSize !== undefined)) ? hostIsolationMissing() : undefined;
    const network = pod.networks.length > 0 ? podNetworkMissing() : undefined;
    if (network) issues.push(no(`${at}.networks`, network));
    for (const n of pod.networks) {
      const bad = networkNameProblem(n.name);
      if (bad) issues.push(no(`${at}.networks.${n.name}`, bad));
    }
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
      if (task.shmSize !== undefined && isolation) issues.push(no(`${t}.shm-size`, isolation));
      for (const v of task.volumes) if (v.profiles.length > 0) issues.push(no(`${t}.volumes.${v.name}.profiles`, 'volume profiles'));
    }
    return issues;
  });
}

// What a task launched from a container image carries beyond a host-process launch: the pod's
// image and its container settings, as the scheduler read them from the spec; and, for a task
// without an image, the settings its host process is isolated with.
import type { PodSpec, TaskSpec } from '../spec/index.js';

export interface ImageLaunch {
  /** Image reference (`registry/name:tag` or `name@sha256:…`). */
  readonly ref: string;
  readonly cpus: number;
  /** MB of the container's private /dev/shm (task's, else pod's); undefined = the runtime's 64 MB. */
  readonly shmSizeMb?: number;
  readonly hostVolumes: ReadonlyArray<{ readonly hostPath: string; readonly containerPath: string; readonly mode: 'RW' | 'RO' }>;
  readonly seccompUnconfined: boolean;
  readonly seccompProfileName?: string;
  /** The user the task runs as inside the container (a name of the image's /etc/passwd or a uid). */
  readonly user: string;
}

/** The image part of a task's launch, or undefined for a pod without `image:` (a host process). */
export function imageLaunch(pod: PodSpec, task: TaskSpec): ImageLaunch | undefined {
  if (!pod.image) return undefined;
  return {
    ref: pod.image,
    cpus: task.cpus,
    shmSizeMb: task.shmSize ?? pod.shmSize,
    hostVolumes: pod.hostVolumes.map((v) => ({ hostPath: v.hostPath, containerPath: v.containerPath, mode: v.mode })),
    seccompUnconfined: pod.seccompUnconfined,
    ...(pod.seccompProfileName ? { seccompProfileName: pod.seccompProfileName } : {}),
    user: pod.user,
  };
}

/** `shm-size` and `host-volumes` of a pod without an image, which the original applied to host processes too. */
export interface HostIsolation {
  /** MB of the task's private /dev/shm (task's, else pod's); undefined = the host's. */
  readonly shmSizeMb?: number;
  readonly hostVolumes: ImageLaunch['hostVolumes'];
}

/** What a task without an image needs isolated, or undefined for a plain host process (or an image's task). */
export function hostIsolation(pod: PodSpec, task: TaskSpec): HostIsolation | undefined {
  const shmSizeMb = task.shmSize ?? pod.shmSize;
  if (pod.image || (shmSizeMb === undefined && pod.hostVolumes.length === 0)) return undefined;
  return { ...(shmSizeMb !== undefined ? { shmSizeMb } : {}), hostVolumes: pod.hostVolumes.map((v) => ({ hostPath: v.hostPath, containerPath: v.containerPath, mode: v.mode })) };
}

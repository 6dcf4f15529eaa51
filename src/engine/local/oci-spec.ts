// The OCI runtime config (config.json) of a task's container: the image's rootfs (an overlay runc
// mounts, or a copy), the sandbox at /mnt/mesos/sandbox as the original mounted it, volumes at their
// container paths, the host's network (a task keeps its agent's IP) or its pod's network namespace,
// memory/cpu limits, rlimits, a private /dev/shm and seccomp.

/** Where the sandbox appears inside a container, as in the original (MESOS_SANDBOX points here). */
export const CONTAINER_SANDBOX = '/mnt/mesos/sandbox';

export interface Mount {
  readonly destination: string;
  readonly type: string;
  readonly source: string;
  readonly options?: readonly string[];
}

export interface OciSpecInput {
  readonly rootfs: string;
  /** An overlay runc mounts over `rootfs` first (in the container's mount namespace only). */
  readonly overlay?: { readonly lower: string; readonly upper: string; readonly work: string };
  readonly hostname: string;
  readonly args: readonly string[];
  /** `KEY=value` entries, each key once (see mergeEnv). */
  readonly env: readonly string[];
  readonly cwd: string;
  readonly uid: number;
  readonly gid: number;
  readonly binds: ReadonlyArray<{ readonly source: string; readonly destination: string; readonly readOnly: boolean }>;
  readonly shmSizeMb?: number;
  readonly memoryMb: number;
  readonly cpus: number;
  readonly rlimits: ReadonlyArray<{ readonly name: string; readonly soft?: number; readonly hard?: number }>;
  /** cgroup path relative to each controller's root. */
  readonly cgroupsPath: string;
  /** An OCI `linux.seccomp` object, or undefined to run unconfined. */
  readonly seccomp?: unknown;
  /** The pod's network namespace on a virtual network (/run/netns/<name>); absent: the host's network. */
  readonly netnsPath?: string;
}

/** RLIM_INFINITY is 2^64-1, which a JS number cannot hold: a placeholder that ociJson writes out. */
const UNLIMITED = '<RLIM_INFINITY>';

/** The config as runc reads it. */
export const ociJson = (spec: Record<string, unknown>): string => JSON.stringify(spec, null, 2).replaceAll(`"${UNLIMITED}"`, '18446744073709551615');

export function ociSpec(i: OciSpecInput): Record<string, unknown> {
  const limit = (n: number | undefined) => (n === undefined || n < 0 ? UNLIMITED : n);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: i.uid, gid: i.gid },
      args: i.args,
      env: i.env,
      cwd: i.cwd,
      capabilities: capabilities(i.uid),
      rlimits: i.rlimits.map((r) => ({ type: r.name, hard: limit(r.hard ?? r.soft), soft: limit(r.soft ?? r.hard) })),
      noNewPrivileges: true,
    },
    root: { path: i.rootfs, readonly: false },
    hostname: i.hostname,
    mounts: [
      ...(i.overlay ? [{ destination: '/', type: 'overlay', source: 'overlay', options: [`lowerdir=${i.overlay.lower}`, `upperdir=${i.overlay.upper}`, `workdir=${i.overlay.work}`] }] : []),
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${(i.shmSizeMb ?? 64) * 1024}k`] },
      { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
      // the host's resolver, as a host process of the pod would have
      { destination: '/etc/resolv.conf', type: 'bind', source: '/etc/resolv.conf', options: ['rbind', 'ro'] },
      ...i.binds.map((b): Mount => ({ destination: b.destination, type: 'bind', source: b.source, options: ['rbind', b.readOnly ? 'ro' : 'rw'] })),
    ],
    linux: {
      // the host's network (tasks listen on their agent's IP as host processes do), or the pod's
      // namespace on a virtual network, shared by its tasks
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...(i.netnsPath ? [{ type: 'network', path: i.netnsPath }] : [])],
      cgroupsPath: i.cgroupsPath,
      resources: {
        devices: [{ allow: false, access: 'rwm' }],
        ...(i.memoryMb > 0 ? { memory: { limit: Math.ceil(i.memoryMb * 1024 * 1024) } } : {}),
        ...(i.cpus > 0 ? { cpu: { period: 100_000, quota: Math.max(1000, Math.round(i.cpus * 100_000)) } } : {}),
      },
      ...(i.seccomp ? { seccomp: i.seccomp } : {}),
      maskedPaths: ['/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi'],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

/** Docker's default capability set: a root task can chown, bind low ports and switch users, no more. */
const DEFAULT_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

function capabilities(uid: number): Record<string, readonly string[]> {
  const caps = uid === 0 ? DEFAULT_CAPS : [];
  return { bounding: DEFAULT_CAPS, effective: caps, permitted: caps, ambient: [] };
}

/** `KEY=value` lines with later keys replacing earlier ones, in first-seen order. */
export function mergeEnv(...layers: ReadonlyArray<readonly string[]>): string[] {
  const out = new Map<string, string>();
  for (const layer of layers) {
    for (const kv of layer) {
      const eq = kv.indexOf('=');
      if (eq > 0) out.set(kv.slice(0, eq), kv);
    }
  }
  return [...out.values()];
}

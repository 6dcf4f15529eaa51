// pods.<pod> → PodSpec. Unknown keys directly inside a pod are ignored, as the original does
// (e.g. a stray `container:` or the removed pod-level `user:`); everything below them is strict.
import { parsePlacement } from './placement.js';
import { Reader } from './raw.js';
import { RESOURCE_FIELDS, convertResourceSet, convertVolumes } from './resources.js';
import { convertLabels, convertTask } from './task.js';
import { validateSecretPath } from '../secrets/paths.js';
import type { ExternalVolumeSpec, HostVolumeSpec, NetworkSpec, PodSpec, ResourceSetSpec, RLimitSpec, SecretSpec, TaskSpec } from './types.js';

/** More instances than any one machine (or the original's clusters) would run. */
export const MAX_POD_COUNT = 10_000;

export const RLIMITS = [
  'RLIMIT_AS', 'RLIMIT_CORE', 'RLIMIT_CPU', 'RLIMIT_DATA', 'RLIMIT_FSIZE', 'RLIMIT_LOCKS', 'RLIMIT_MEMLOCK', 'RLIMIT_MSGQUEUE',
  'RLIMIT_NICE', 'RLIMIT_NOFILE', 'RLIMIT_NPROC', 'RLIMIT_RSS', 'RLIMIT_RTPRIO', 'RLIMIT_RTTIME', 'RLIMIT_SIGPENDING', 'RLIMIT_STACK',
];
/** The only network that maps container ports to host ports. */
export const PORT_MAPPING_NETWORK = 'mesos-bridge';
const SECRET_FILE = /^([.a-zA-Z0-9]+([.a-zA-Z0-9_-]*[/\\]*)*)?$/;
const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

export function convertPod(name: string, r: Reader, user: string): PodSpec {
  const placement = r.str('placement');
  const parsed = parsePlacement(placement);
  if ('error' in parsed) r.fail('placement', parsed.error);
  const declaredSets = r.entries('resource-sets').map(([id, s]) => {
    s.onlyKeys(RESOURCE_FIELDS);
    return convertResourceSet(id, true, s);
  });
  const { tasks, implicitSets } = convertTasks(name, r, new Map(declaredSets.map((s) => [s.id, s])));
  const image = r.str('image', { nonBlank: true });
  const seccompUnconfined = r.bool('seccomp-unconfined', false);
  const seccompProfileName = r.str('seccomp-profile-name', { nonBlank: true });
  if (seccompUnconfined && seccompProfileName) r.fail('seccomp-unconfined', 'cannot be true together with seccomp-profile-name');
  const ipcMode = podIpcMode(r);
  const shmSize = r.optNum('shm-size', { integer: true, min: 0 });
  return {
    name,
    // bounded, so a typo cannot make plan building loop over billions of instances
    count: Math.min(r.num('count', 0, { required: true, integer: true, min: 0, max: MAX_POD_COUNT }), MAX_POD_COUNT),
    ...(placement ? { placement } : {}),
    constraints: 'constraints' in parsed ? parsed.constraints : [],
    allowDecommission: r.bool('allow-decommission', false),
    volumes: convertVolumes(r),
    tasks,
    resourceSets: [...declaredSets, ...implicitSets],
    uris: convertUris(r),
    ...(image ? { image } : {}),
    networks: r.entries('networks').map(([n, nr]) => convertNetwork(n, nr)),
    rlimits: r.entries('rlimits').map(([n, lr]) => convertRLimit(n, lr)),
    secrets: r.entries('secrets').map(([n, sr]) => convertSecret(n, sr)),
    user,
    sharePidNamespace: r.bool('share-pid-namespace', false),
    preReservedRole: r.str('pre-reserved-role', { blankIsAbsent: true }) ?? '*',
    hostVolumes: r.entries('host-volumes').map(([n, hr]) => convertHostVolume(n, hr)),
    externalVolumes: r.entries('external-volumes').map(([n, er]) => convertExternalVolume(n, er)),
    seccompUnconfined,
    ...(seccompProfileName ? { seccompProfileName } : {}),
    ...(ipcMode ? { ipcMode } : {}),
    ...(shmSize !== undefined ? { shmSize } : {}),
  };
}

function convertTasks(podName: string, r: Reader, declaredSets: ReadonlyMap<string, ResourceSetSpec>): { tasks: TaskSpec[]; implicitSets: ResourceSetSpec[] } {
  const entries = r.entries('tasks');
  if (entries.length === 0 && !r.has('tasks')) r.fail('tasks', 'is required');
  else if (entries.length === 0) r.fail('tasks', 'must name at least one task');
  const tasks: TaskSpec[] = [];
  const implicitSets: ResourceSetSpec[] = [];
  for (const [taskName, tr] of entries) {
    const { task, implicitSet } = convertTask(taskName, tr, { podName, declaredSets });
    tasks.push(task);
    if (implicitSet) implicitSets.push(implicitSet);
  }
  return { tasks, implicitSets };
}

function podIpcMode(r: Reader): 'PRIVATE' | undefined {
  const mode = r.oneOf('ipc-mode', ['PRIVATE', 'SHARE_PARENT'] as const);
  if (mode === 'SHARE_PARENT') r.fail('ipc-mode', 'SHARE_PARENT is not allowed at pod level (only PRIVATE)');
  return mode === 'PRIVATE' ? mode : undefined;
}

function convertUris(r: Reader): string[] {
  return r.strList('uris').filter((uri, i) => {
    const problem = uriProblem(uri);
    if (problem) r.issues.push({ path: `${r.at('uris')}[${i}]`, message: problem });
    return !problem;
  });
}

function uriProblem(uri: string): string | undefined {
  if (uri.trim() === '') return 'must not be empty';
  if (/\s/.test(uri)) return `must be a URI without spaces, got ${JSON.stringify(uri)}`;
  if (URI_SCHEME.test(uri) && !URL.canParse(uri)) return `must be a valid URI, got ${JSON.stringify(uri)}`;
  return undefined;
}

function convertNetwork(name: string, r: Reader): NetworkSpec {
  r.onlyKeys(['host-ports', 'container-ports', 'labels']);
  const hostPorts = r.intList('host-ports', { min: 0, max: 65535 });
  const containerPorts = r.intList('container-ports', { min: 0, max: 65535 });
  if (name !== PORT_MAPPING_NETWORK && (r.has('host-ports') || r.has('container-ports'))) {
    r.failHere(`network "${name}" doesn't support container->host port mapping (only ${PORT_MAPPING_NETWORK} does)`);
  } else if (hostPorts.length !== containerPorts.length) {
    r.fail('container-ports', `must have as many entries as host-ports (${hostPorts.length})`);
  }
  return { name, hostPorts, containerPorts, labels: convertLabels(r, 'labels') };
}

function convertRLimit(name: string, r: Reader): RLimitSpec {
  r.onlyKeys(['soft', 'hard']);
  if (!RLIMITS.includes(name)) r.failHere(`unknown rlimit (expected one of ${RLIMITS.join(', ')})`);
  const soft = r.optNum('soft', { integer: true, min: -1 });
  const hard = r.optNum('hard', { integer: true, min: -1 });
  if ((soft === undefined) !== (hard === undefined)) r.failHere('soft and hard must be given together');
  else if (soft !== undefined && hard !== undefined) {
    if ((soft === -1) !== (hard === -1)) r.failHere('-1 (unlimited) must be used for both soft and hard');
    else if (soft > hard) r.fail('soft', `must be <= hard (${hard})`);
  }
  return { name, ...(soft !== undefined ? { soft } : {}), ...(hard !== undefined ? { hard } : {}) };
}

function convertSecret(name: string, r: Reader): SecretSpec {
  r.onlyKeys(['secret', 'env-key', 'file']);
  const secret = r.str('secret', { required: true }) ?? '';
  const envKey = r.str('env-key', { nonBlank: true });
  const file = r.str('file', { nonBlank: true }) ?? (envKey ? undefined : secret);
  if (file && !SECRET_FILE.test(file)) r.fail(r.has('file') ? 'file' : 'secret', `file path must be relative (letters, digits, ".", "_", "-", "/"), got ${JSON.stringify(file)}`);
  // the original's pattern lets ".." through; a file must stay inside the sandbox
  else if (file && file.split(/[/\\]/).some((seg) => seg === '..')) r.fail(r.has('file') ? 'file' : 'secret', `file path must stay inside the sandbox (no ".."), got ${JSON.stringify(file)}`);
  if (secret) {
    try {
      validateSecretPath(secret);
    } catch (e) {
      r.fail('secret', (e as Error).message);
    }
  }
  return { name, secret, ...(envKey ? { envKey } : {}), ...(file ? { file } : {}) };
}

function convertHostVolume(name: string, r: Reader): HostVolumeSpec {
  r.onlyKeys(['host-path', 'container-path', 'mode']);
  return {
    name,
    hostPath: r.str('host-path', { required: true }) ?? '',
    containerPath: r.str('container-path', { required: true }) ?? '',
    mode: r.oneOf('mode', ['RW', 'RO'] as const) ?? 'RW',
  };
}

function convertExternalVolume(name: string, r: Reader): ExternalVolumeSpec {
  r.onlyKeys(['type', 'volume-name', 'volume-mode', 'driver-name', 'driver-options', 'container-path']);
  const volumeName = r.str('volume-name', { nonBlank: true });
  const driverOptions = r.str('driver-options', { nonBlank: true });
  return {
    name,
    type: r.oneOf('type', ['DOCKER'] as const, { required: true }) ?? 'DOCKER',
    ...(volumeName ? { volumeName } : {}),
    volumeMode: r.oneOf('volume-mode', ['RW', 'RO'] as const) ?? 'RW',
    driverName: r.str('driver-name', { required: true }) ?? '',
    ...(driverOptions ? { driverOptions } : {}),
    containerPath: r.str('container-path', { required: true }) ?? '',
  };
}

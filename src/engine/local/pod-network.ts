// Virtual networks (`networks:`) on the local engine: each pod instance gets a network namespace of
// its own with one address on a Linux bridge that svc creates for its $SVC_HOME, as the original's
// overlay ("dcos") gave each container its own IP. Everything is made with iproute2 (`ip`), the
// field's tool, called with argument lists (never a shell string):
//   bridge   svb<10 hex of the home>     gateway .1 of a private /24 picked so no route clashes
//   netns    svc-<12 hex>                one per reservation (pod instance), /run/netns/<name>
//   veth     svh<12 hex> on the bridge, its peer `eth0` inside the namespace, lo up too
// Addresses are leased as files in $SVC_HOME/.network/leases/<ip> (created exclusively, so two
// schedulers of one home never take the same one); a reservation keeps its address until it is
// released, so relaunches and a restarted scheduler find the pod at the same IP. Names derive
// from hashes, never from the spec, so nothing a spec says reaches `ip` as a name.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onPath } from './runtime-check.js';

/** The original's port-mapping network (DcosConstants.DEFAULT_BRIDGE_NETWORK). */
export const PORT_MAPPING_NETWORK = 'mesos-bridge';

/** Dynamic ports of a pod on an overlay come from here, as in the original (DcosConstants). */
export const OVERLAY_PORT_RANGE: readonly [number, number] = [1025, 2025];

/** As the original: only mesos-bridge maps container ports to host ports; any other network does not. */
export const supportsPortMapping = (network: string): boolean => network === PORT_MAPPING_NETWORK;

/** A network name this engine accepts: letters, digits, `.`, `_`, `-`, starting with a letter or digit, at most 64. */
const NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `name` is refused as a network name, or undefined when it is fine. */
export function networkNameProblem(name: string): string | undefined {
  if (NETWORK_NAME.test(name) && !name.includes('..')) return undefined;
  return `network name ${JSON.stringify(name)} must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit (no "..")`;
}

export interface PortMapping {
  readonly hostPort: number;
  readonly containerPort: number;
}

/** What a pod instance's tasks need to join its network (sent to the executor with each task). */
export interface PodNetworkRun {
  /** /run/netns/<name>: tasks enter it (nsenter, or the container's network namespace path). */
  readonly netnsPath: string;
  readonly ip: string;
  /** The agent's address: port mappings are forwarded from it, and only from it. */
  readonly agentIp: string;
  readonly portMappings: readonly PortMapping[];
}

const NETNS_DIR = '/run/netns';

const hex = (s: string, n: number): string => createHash('sha256').update(s).digest('hex').slice(0, n);

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** `ip` with "already there" / "already gone" taken as done. */
function ipIdempotent(...args: string[]): void {
  try {
    ip(...args);
  } catch (e) {
    const msg = String((e as { stderr?: string }).stderr ?? (e as Error).message);
    if (!/File exists|Cannot find device|No such file|does not exist|not found/i.test(msg)) throw new PodNetworkError(`ip ${args.join(' ')}: ${msg.trim()}`);
  }
}

/** A network that cannot be set up: the task gets TASK_ERROR with this message. */
export class PodNetworkError extends Error {}

const networkDir = (home: string): string => join(home, '.network');
const leasesDir = (home: string): string => join(networkDir(home), 'leases');

/** The bridge of a home: a name of 15 characters at most (IFNAMSIZ), unique per home. */
export const bridgeName = (home: string): string => `svb${hex(home, 10)}`;
/** A reservation's namespace and its veth on the bridge side. */
export const netnsName = (home: string, reservationId: string): string => `svc-${hex(`${home}\0${reservationId}`, 12)}`;
const vethName = (home: string, reservationId: string): string => `svh${hex(`${home}\0${reservationId}`, 12)}`;
export const netnsPath = (name: string): string => join(NETNS_DIR, name);

interface BridgeFile {
  readonly name: string;
  /** `a.b.c` of the /24. */
  readonly net: string;
}

/** The IPv4 routes of this machine (all tables) as [network, prefix length]. */
function routes(): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const line of ip('-4', 'route', 'show', 'table', 'all').split('\n')) {
    const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?\s/.exec(line.replace(/^(broadcast|local|unicast|anycast|multicast|blackhole|unreachable|prohibit)\s+/, ''));
    if (m) out.push([toInt(m[1]), Number(m[2] ?? 32)]);
  }
  return out;
}

const toInt = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const overlaps = (a: number, alen: number, b: number, blen: number): boolean => {
  const len = Math.min(alen, blen);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
};

/** Private ranges the bridge's /24 comes from, in order: [first /24 as a.b, number of /24s]. */
const POOLS: ReadonlyArray<readonly [number, number]> = [
  [toInt('10.128.0.0'), 32768],
  [toInt('172.16.0.0'), 4096],
  [toInt('192.168.0.0'), 256],
];

/**
 * The /24 for a home's bridge (`a.b.c`): in each private pool, starting at a place picked from the
 * home's hash (so two homes rarely even try the same one), the first that no route of this machine
 * touches, the default route aside.
 */
export function pickSubnet(home: string, taken: ReadonlyArray<[number, number]>): string {
  const seed = parseInt(hex(home, 8), 16);
  for (const [base, count] of POOLS) {
    for (let i = 0; i < count; i++) {
      const n = base + ((seed + i) % count) * 256;
      if (!taken.some(([r, len]) => len > 0 && overlaps(n, 24, r, len))) return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255].join('.');
    }
  }
  throw new PodNetworkError('no private /24 is free of this machine\'s routes for the pod network');
}

/** The home's subnet, chosen once and recorded (the first scheduler of the home to choose wins). */
function homeSubnet(home: string): BridgeFile {
  mkdirSync(leasesDir(home), { recursive: true, mode: 0o700 });
  const found = readBridge(home);
  if (found) return found;
  const candidate: BridgeFile = { name: bridgeName(home), net: pickSubnet(home, routes()) };
  try {
    writeFileSync(join(networkDir(home), 'bridge.json'), JSON.stringify(candidate), { flag: 'wx', mode: 0o600 });
  } catch {
    // another scheduler of this home chose first: use its choice
  }
  return readBridge(home) ?? candidate;
}

/** The home's bridge, with the gateway address .1, created when it is not there. */
export function ensureBridge(home: string): BridgeFile {
  const bridge = homeSubnet(home);
  if (!existsSync(`/sys/class/net/${bridge.name}`)) {
    ipIdempotent('link', 'add', bridge.name, 'type', 'bridge');
    ipIdempotent('addr', 'add', `${bridge.net}.1/24`, 'dev', bridge.name);
  }
  ipIdempotent('link', 'set', bridge.name, 'up');
  return bridge;
}

function readBridge(home: string): BridgeFile | undefined {
  try {
    const b = JSON.parse(readFileSync(join(networkDir(home), 'bridge.json'), 'utf8')) as BridgeFile;
    return /^svb[0-9a-f]{10}$/.test(b.name) && /^\d+\.\d+\.\d+$/.test(b.net) ? b : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Leases an address of the home's subnet (.2 to .254) to `owner` (its service folder and
 * reservation): the first free one after the last leased, so a replaced pod gets a new address,
 * as the original's IPAM gave, rather than one its peers may still have cached.
 */
export function leaseAddress(home: string, owner: { readonly root: string; readonly reservationId: string }): string {
  const { net } = homeSubnet(home);
  const hint = join(networkDir(home), 'last');
  let last = 1;
  try {
    last = Number(readFileSync(hint, 'utf8')) || 1;
  } catch {
    // none leased yet
  }
  for (let i = 0; i < 253; i++) {
    const host = ((last - 1 + i) % 253) + 2; // last+1, wrapping over 2..254
    const addr = `${net}.${host}`;
    try {
      writeFileSync(join(leasesDir(home), addr), JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      writeFileSync(hint, String(host));
      return addr;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new PodNetworkError(`all 253 addresses of the pod network ${net}.0/24 are leased`);
}

interface Lease {
  readonly ip: string;
  readonly root: string;
  readonly reservationId: string;
}

function leases(home: string): Lease[] {
  let names: string[] = [];
  try {
    names = readdirSync(leasesDir(home));
  } catch {
    return [];
  }
  return names.flatMap((addr) => {
    try {
      const o = JSON.parse(readFileSync(join(leasesDir(home), addr), 'utf8')) as Omit<Lease, 'ip'>;
      return [{ ip: addr, root: o.root, reservationId: o.reservationId }];
    } catch {
      return [];
    }
  });
}

/**
 * Creates the reservation's namespace with its address, when it is not there yet (a first launch,
 * or after a reboot emptied /run/netns); resolves to its path. Asynchronous (the scheduler serves
 * its API meanwhile) and in three runs of `ip -batch` rather than one process per step; made one
 * at a time in this process, so two launches never race on the home's bridge.
 */
export function ensurePodNetwork(home: string, reservationId: string, addr: string): Promise<string> {
  const made = setups.then(() => makePodNetwork(home, reservationId, addr));
  setups = made.catch(() => undefined);
  return made;
}

let setups: Promise<unknown> = Promise.resolve();

async function makePodNetwork(home: string, reservationId: string, addr: string): Promise<string> {
  const bridge = ensureBridge(home);
  const ns = netnsName(home, reservationId);
  const veth = vethName(home, reservationId);
  const peer = `svp${veth.slice(3)}`;
  if (existsSync(netnsPath(ns)) && existsSync(`/sys/class/net/${veth}`)) return netnsPath(ns);
  removeNetns(ns); // half made (a crash while creating it): start again
  try {
    await ipBatch([], [`netns add ${ns}`, `link add ${veth} type veth peer name ${peer} netns ${ns}`, `link set ${veth} master ${bridge.name}`, `link set ${veth} up`]);
    await announce(ns, peer); // before it comes up (as eth0): it is then announced
    await ipBatch(['-n', ns], [`link set ${peer} name eth0`, `addr add ${addr}/24 dev eth0`, 'link set eth0 up', 'link set lo up', `route add default via ${bridge.net}.1`]);
  } catch (e) {
    removeNetns(ns);
    const msg = String((e as { stderr?: string }).stderr ?? (e as Error).message).trim();
    throw new PodNetworkError(`cannot set up the pod's network namespace ${ns}: ${msg}`);
  }
  return netnsPath(ns);
}

/** `ip [options] -batch -` with these commands, in order; rejects at the first that fails. Names are ours (hashes), never the spec's. */
function ipBatch(options: readonly string[], commands: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile('ip', [...options, '-batch', '-'], { encoding: 'utf8' }, (e, _out, stderr) => (e ? reject(Object.assign(e, { stderr })) : resolve()));
    child.stdin?.end(`${commands.join('\n')}\n`);
  });
}

/**
 * Makes the namespace's interfaces send a gratuitous ARP when they come up, so neighbours that
 * cached an earlier owner of the address learn the new one at once. Best effort: without sysctl
 * they learn it when their entry expires.
 */
function announce(ns: string, dev: string): Promise<void> {
  return new Promise((resolve) => {
    // no sysctl: nothing announced
    execFile('nsenter', [`--net=${netnsPath(ns)}`, '--', 'sysctl', '-qw', `net.ipv4.conf.${dev}.arp_notify=1`], () => resolve());
  });
}

/**
 * Deletes a namespace. Whatever still runs in it first gets SIGKILL: a task's daemon that left its
 * process group (a double fork) would otherwise keep the namespace, its veth and its address alive.
 */
function removeNetns(ns: string): void {
  if (!existsSync(netnsPath(ns))) return;
  killAllIn(netnsPath(ns));
  ipIdempotent('netns', 'delete', ns);
}

/**
 * A pod whose executor died starts again in the same namespace: what the earlier run left in it (a
 * daemon outside its task's process group, still holding the pod's ports) is killed first.
 */
export function emptyPodNetwork(home: string, reservationId: string): void {
  killAllIn(netnsPath(netnsName(home, reservationId)));
}

function killAllIn(path: string): void {
  for (const pid of processesIn(path)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** The processes whose network namespace is the one bound at `path`. */
export function processesIn(path: string): number[] {
  let ns: { dev: number; ino: number };
  try {
    ns = statSync(path);
  } catch {
    return [];
  }
  return readdirSync('/proc').flatMap((d) => {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) return [];
    try {
      const st = statSync(`/proc/${d}/ns/net`);
      return st.ino === ns.ino && st.dev === ns.dev ? [Number(d)] : [];
    } catch {
      return []; // exited while listed
    }
  });
}

/** The reservation's namespace is deleted; its address stays leased (the pod may launch again). */
export function stopPodNetwork(home: string, reservationId: string): void {
  removeNetns(netnsName(home, reservationId));
  removeBridgeIfUnused(home);
}

/** The reservation is gone: its namespace and its address lease too, and the bridge once nothing uses it. */
export function releasePodNetwork(home: string, reservationId: string, addr: string): void {
  removeNetns(netnsName(home, reservationId));
  rmSync(join(leasesDir(home), addr), { force: true });
  removeBridgeIfUnused(home);
}

/** Uninstall: every namespace and lease of the service in `root`, then the bridge if no other service needs it. */
export function sweepPodNetworks(home: string, root: string): void {
  for (const l of leases(home).filter((x) => x.root === root)) releasePodNetwork(home, l.reservationId, l.ip);
  removeBridgeIfUnused(home);
}

/** Removes the home's bridge (and its subnet choice) when no namespace of the home is left. */
function removeBridgeIfUnused(home: string): void {
  const live = leases(home).some((l) => existsSync(netnsPath(netnsName(home, l.reservationId))));
  if (live) return;
  const bridge = readBridge(home);
  if (bridge && existsSync(`/sys/class/net/${bridge.name}`)) ipIdempotent('link', 'delete', bridge.name, 'type', 'bridge');
  if (leases(home).length === 0) rmSync(networkDir(home), { recursive: true, force: true });
}

/** `argv` run inside the network namespace at `netnsPath`, as `ids` when given (entering needs root, so nsenter drops to them). */
export function inNetns(netnsPath: string, ids: { uid?: number; gid?: number }, argv: readonly string[]): string[] {
  const user = ids.uid !== undefined ? ['--setgid', String(ids.gid ?? ids.uid), '--setuid', String(ids.uid)] : [];
  return ['nsenter', `--net=${netnsPath}`, ...user, '--', ...argv];
}

/** Why this machine cannot give pods a network namespace of their own, or undefined when it can. */
export function podNetworkMissing(): string | undefined {
  const missing = ['ip', 'nsenter'].filter((t) => !onPath(t));
  if (missing.length > 0) return `virtual networks need ${missing.join(', ')} on PATH (Debian: iproute2, util-linux)`;
  if (process.getuid?.() !== 0) return `virtual networks need root for network namespaces and a bridge (svc runs as uid ${process.getuid?.()})`;
  return (probed ??= { why: netnsProbe() }).why;
}

let probed: { why: string | undefined } | undefined;

/**
 * Root in a container without CAP_SYS_ADMIN or CAP_NET_ADMIN has the tools but not the rights: a
 * namespace and a bridge made and deleted, once per process, say.
 */
function netnsProbe(): string | undefined {
  const probes: Array<[string, string[], string[]]> = [
    ['network namespaces', ['netns', 'add', `svc-probe-${process.pid}`], ['netns', 'delete', `svc-probe-${process.pid}`]],
    ['a bridge', ['link', 'add', `svq${process.pid}`, 'type', 'bridge'], ['link', 'delete', `svq${process.pid}`]],
  ];
  for (const [what, make, undo] of probes) {
    try {
      execFileSync('ip', make, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      return `virtual networks need ${what}, which this machine refuses: ${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim()}`;
    }
    try {
      execFileSync('ip', undo, { stdio: 'ignore' });
    } catch {
      // made, so allowed; its removal is best effort
    }
  }
  return undefined;
}

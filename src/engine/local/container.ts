// A task run from a container image with runc, beside the executor's host processes: the image comes
// from the store (pulled once), the container gets a writable rootfs over the image's read-only one
// under <executor>/containers/<task>/ (an overlay, else a copy: the original's two backends), and
// `runc run` stays in the foreground as the task's process, so the executor's journal, status and
// kill flow are unchanged. The overlay is mounted by runc itself, as the container's first mount: it
// lives in the container's mount namespace only, costs no `mount` process on the launch's path, and
// goes with the container however it ends. The task runs once runc wrote its pid file.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import Mustache from 'mustache';
import type { ImageLaunch } from '../image-launch.js';
import type { CheckRunner } from './checks.js';
import { ImageStore, imagesDir } from './images.js';
import { readPid } from '../../util/fs.js';
import { killGroup } from '../../util/kill-group.js';
import { removeCgroups, removeCgroupsSoon } from './limits.js';
import type { RegistryAccess } from './registries.js';
import { containerFile, type ContainerFile } from './container-exec.js';
import { CONTAINER_SANDBOX, mergeEnv, ociJson, ociSpec } from './oci-spec.js';

const run = promisify(execFile);

/** What the engine adds to a task's image launch so its executor can run it. */
export interface ContainerRun extends ImageLaunch {
  /** The image store ($SVC_HOME/.images). */
  readonly imagesDir: string;
  /** Where seccomp profiles are looked up by name ($SVC_HOME/seccomp). */
  readonly seccompDir: string;
  /** runc's state folder for this service's containers (`runc --root`). */
  readonly runcRoot: string;
  readonly rlimits: ReadonlyArray<{ readonly name: string; readonly soft?: number; readonly hard?: number }>;
  /** The pod's network namespace (a virtual network), which the container joins; absent: the host's network. */
  readonly netnsPath?: string;
  /** How the image is pulled: the service's auth files and plain-HTTP registries. */
  readonly registries?: RegistryAccess;
}

/** The container part of a launch, from the engine's service folder (`$SVC_HOME/<service>`). */
export function containerRun(image: ImageLaunch, rlimits: ContainerRun['rlimits'], serviceRoot: string, registries?: RegistryAccess): ContainerRun {
  const home = dirname(serviceRoot);
  return { ...image, rlimits, imagesDir: imagesDir(home), seccompDir: join(home, 'seccomp'), runcRoot: join(serviceRoot, 'runc'), ...(registries ? { registries } : {}) };
}

/** The task facts a container needs (a subset of the executor's task). */
export interface ContainerTask {
  readonly name: string;
  readonly taskId: string;
  readonly cmd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly sandbox: string;
  readonly links: ReadonlyArray<{ readonly path: string; readonly target: string }>;
  readonly memoryMb: number;
  readonly container: ContainerRun;
}

export interface Container {
  /** `runc run` in the foreground: spawn this as the task's process. */
  readonly file: string;
  readonly args: readonly string[];
  /**
   * Call right after spawning `runc run`: true once runc started the task's process in the
   * container (its pid file is written), false when `exited` (runc's exit) came first.
   */
  started(exited: Promise<unknown>): Promise<boolean>;
  /** Signals every process of the container; rejects when there is no container (yet) to signal. */
  signal(sig: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Once the task exited: deletes the container (its cgroups) and its rootfs. */
  remove(): Promise<void>;
  /** Runs health/readiness checks inside the container. */
  readonly checks: CheckRunner;
}

/** A container problem the task cannot outgrow by retrying at once: reported as TASK_ERROR. */
export class ContainerError extends Error {}

/** Pulls (once) and prepares the container of `task`; throws ImageError/ContainerError when it cannot. */
export async function prepareContainer(task: ContainerTask): Promise<Container> {
  const c = task.container;
  const id = task.taskId;
  const bundle = dirname(containerFile(task.sandbox));
  unmountUnder(bundle); // what a crashed executor left of an earlier incarnation
  rmSync(bundle, { recursive: true, force: true });
  mkdirSync(bundle, { recursive: true, mode: 0o700 });
  try {
    // the reference is in use from now on: a prune running while it is pulled must keep it
    writeFileSync(containerFile(task.sandbox), JSON.stringify({ ref: c.ref, task: task.name, id, runcRoot: c.runcRoot }));
    const image = await new ImageStore(c.imagesDir).get(c.ref, c.registries);
    const facts: ContainerFile = { ref: image.ref, digest: image.digest, task: task.name, id, runcRoot: c.runcRoot };
    writeFileSync(containerFile(task.sandbox), JSON.stringify(facts));
    const rootfs = join(bundle, 'rootfs');
    // the overlay's upper layer starts empty: until the container runs, the image is what it shows
    const layers = (await overlayUsable(image.rootfs, dirname(bundle))) ? overlayLayers(image.rootfs, bundle) : await copyRootfs(image.rootfs, rootfs);
    if (!lexists(join(layers.lower, 'bin/sh'))) throw new ContainerError(`image ${c.ref} has no /bin/sh to run the task's cmd with`);
    const { uid, gid } = resolveUser(layers.lower, c.user);
    const imagePath = image.config.env.find((e) => e.startsWith('PATH='));
    const env = mergeEnv(
      uid === 0 ? ['HOME=/root'] : [],
      image.config.env,
      Object.entries(task.env).map(([k, v]) => `${k}=${v}`),
      // the host's PATH means nothing inside the image; the sandbox is where the original mounted it
      [...(imagePath ? [imagePath] : []), `MESOS_SANDBOX=${CONTAINER_SANDBOX}`, ...(task.env.HOME === task.sandbox ? [`HOME=${CONTAINER_SANDBOX}`] : [])],
    );
    renderTemplates(task.sandbox, layers, env);
    writeContainerBootstrap(task.sandbox);
    const binds = [{ source: task.sandbox, destination: CONTAINER_SANDBOX, readOnly: false }];
    for (const l of task.links) {
      mkdirSync(join(task.sandbox, l.path), { recursive: true });
      binds.push({ source: l.target, destination: join(CONTAINER_SANDBOX, l.path), readOnly: false });
    }
    for (const v of c.hostVolumes) {
      if (!existsSync(v.hostPath)) throw new ContainerError(`host-volumes: ${v.hostPath} does not exist on this machine`);
      if (v.containerPath.split('/').includes('..')) throw new ContainerError(`host-volumes: container-path ${v.containerPath} may not contain ..`);
      const destination = isAbsolute(v.containerPath) ? normalize(v.containerPath) : join(CONTAINER_SANDBOX, v.containerPath);
      if (!isAbsolute(v.containerPath)) mkdirSync(join(task.sandbox, v.containerPath), { recursive: true });
      binds.push({ source: v.hostPath, destination, readOnly: v.mode === 'RO' });
    }
    if (uid !== 0) for (const dir of [task.sandbox, ...task.links.map((l) => l.target)]) chownSync(dir, uid, gid);
    const spec = ociSpec({
      rootfs,
      ...(layers.work ? { overlay: { lower: layers.lower, upper: layers.upper, work: layers.work } } : {}),
      hostname: task.name,
      args: ['/bin/sh', '-c', task.cmd],
      env,
      cwd: CONTAINER_SANDBOX,
      uid,
      gid,
      binds,
      shmSizeMb: c.shmSizeMb,
      memoryMb: task.memoryMb,
      cpus: c.cpus,
      rlimits: c.rlimits,
      cgroupsPath: `/svc/${id}`,
      seccomp: seccompProfile(c),
      ...(c.netnsPath ? { netnsPath: c.netnsPath } : {}),
    });
    writeFileSync(join(bundle, 'config.json'), ociJson(spec));
  } catch (e) {
    unmountUnder(bundle); // nothing of a container that never ran stays behind
    rmSync(bundle, { recursive: true, force: true });
    throw e;
  }
  const runc = (...args: string[]) => ['--root', c.runcRoot, ...args];
  const pidFile = join(bundle, 'pid');
  const checksInFlight = new Set<{ kill(): void }>();
  let checkCount = 0;
  return {
    file: 'runc',
    args: runc('run', '--pid-file', pidFile, '--bundle', bundle, id),
    started: (exited) => startedWhen(bundle, 'pid', exited),
    signal: async (sig) => void (await run('runc', runc('kill', '--all', id, sig.replace(/^SIG/, '')))),
    remove: async () => {
      // a check still in flight would join (and re-create) the container's cgroups after they go
      for (const check of checksInFlight) check.kill();
      // a `runc run` that exited deleted its container; one that was killed left it behind
      if (existsSync(join(c.runcRoot, id))) await run('runc', runc('delete', '--force', id)).catch(() => undefined);
      removeCgroupsSoon(new Set([id])); // without blocking the executor host's other tasks
      unmountUnder(bundle); // a rootfs an earlier version of svc mounted on the host
      rmSync(bundle, { recursive: true, force: true });
    },
    checks: (check) =>
      new Promise((done) => {
        // the command runs in a session of its own inside the container (runc's init calls setsid):
        // a timeout kills that group, found by the pid runc writes, and not only the runc exec
        const pidFile = join(bundle, `check-${++checkCount}.pid`);
        const child = spawn('runc', runc('exec', '--pid-file', pidFile, id, '/bin/sh', '-c', check.cmd), { stdio: 'ignore' });
        const inFlight = { kill: () => (killGroup(readPid(pidFile)), child.kill('SIGKILL')) };
        checksInFlight.add(inFlight);
        const timer = setTimeout(inFlight.kill, check.timeout * 1000);
        child.once('error', () => done(false));
        child.once('exit', (code) => {
          checksInFlight.delete(inFlight);
          clearTimeout(timer);
          rmSync(pidFile, { force: true });
          done(code === 0);
        });
      }),
  };
}

/** The image's rootfs as a container's read-only lower layer and its writable upper layer (empty). */
export interface RootLayers {
  readonly lower: string;
  /** Where files written before the container starts go; the same as lower for a copy. */
  readonly upper: string;
  /** overlayfs's work folder (overlay only). */
  readonly work?: string;
}

function overlayLayers(lower: string, bundle: string): RootLayers {
  const [upper, work, rootfs] = ['upper', 'work', 'rootfs'].map((d) => join(bundle, d));
  for (const d of [upper, work, rootfs]) mkdirSync(d, { recursive: true });
  return { lower, upper, work };
}

async function copyRootfs(image: string, rootfs: string): Promise<RootLayers> {
  await run('cp', ['-a', '--reflink=auto', image, rootfs]);
  return { lower: rootfs, upper: rootfs };
}

/** Per pair of filesystems (the image store's, the containers'): whether an overlay mounts there. */
const overlayProbes = new Map<string, Promise<boolean>>();

/**
 * Whether runc can mount an overlay of `lower` with its writable layers in `dir`: the kernel has
 * overlayfs, the paths fit in mount options, and a trial mount (once per pair of filesystems, off
 * every later launch's path) succeeds. Otherwise containers get a copy of the image.
 */
function overlayUsable(lower: string, dir: string): Promise<boolean> {
  if (/[,:\\\s]/.test(lower + dir) || !readFileSync('/proc/filesystems', 'utf8').includes('\toverlay\n')) return Promise.resolve(false);
  const key = `${statSync(lower).dev}:${statSync(dir).dev}`;
  let probe = overlayProbes.get(key);
  if (!probe) {
    probe = (async () => {
      const trial = mkdtempSync(join(dir, '.overlay-probe-'));
      const { upper, work } = overlayLayers(lower, trial);
      try {
        await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, join(trial, 'rootfs')]);
        await run('umount', [join(trial, 'rootfs')]);
        return true;
      } catch {
        unmountUnder(trial);
        return false;
      } finally {
        rmSync(trial, { recursive: true, force: true });
      }
    })();
    overlayProbes.set(key, probe);
  }
  return probe;
}

/**
 * Resolves true once `name` appears in `dir` (runc writes its pid file with a rename once the
 * container's process runs), false when `exited` settles first and it has not.
 */
function startedWhen(dir: string, name: string, exited: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearInterval(poll);
      resolve(ok);
    };
    let watcher: ReturnType<typeof watch> | undefined;
    let poll: NodeJS.Timeout | undefined;
    try {
      watcher = watch(dir, (_, file) => {
        if (file === name && existsSync(join(dir, name))) settle(true);
      });
      watcher.on('error', () => undefined); // the folder went: exited tells the rest
    } catch {
      // no inotify watch to be had (the machine's limit reached): look every 5 ms instead
      poll = setInterval(() => existsSync(join(dir, name)) && settle(true), 5);
    }
    if (existsSync(join(dir, name))) settle(true);
    void exited.then(() => settle(existsSync(join(dir, name))));
  });
}

/** Unmounts every mount at or below `dir` (deepest first), lazily: nothing of a container stays mounted. */
export function unmountUnder(dir: string): void {
  const decode = (p: string) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => decode(l.split(' ')[1] ?? ''))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** Whether `path` exists, a dangling symlink included (an image's links point into the image, not the host). */
function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** `root`, a uid, or a name of the image's /etc/passwd (as the task's user inside the container). */
export function resolveUser(rootfs: string, user: string): { uid: number; gid: number } {
  if (user === 'root' || user === '') return { uid: 0, gid: 0 };
  if (/^[0-9]+$/.test(user)) return { uid: Number(user), gid: Number(user) };
  let passwd = '';
  try {
    passwd = readFileSync(join(rootfs, 'etc', 'passwd'), 'utf8');
  } catch {
    // no passwd in the image
  }
  const entry = passwd.split('\n').map((l) => l.split(':')).find((f) => f[0] === user);
  if (!entry || !/^[0-9]+$/.test(entry[2] ?? '') || !/^[0-9]+$/.test(entry[3] ?? '')) throw new ContainerError(`user ${user} does not exist in the image's /etc/passwd`);
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The pod's seccomp filter: none when unconfined, a named profile, else $SVC_HOME/seccomp/default.json if present. */
function seccompProfile(c: ContainerRun): unknown {
  if (c.seccompUnconfined) return undefined;
  const name = c.seccompProfileName;
  if (name !== undefined && !PROFILE_NAME.test(name)) throw new ContainerError(`seccomp-profile-name ${JSON.stringify(name)} is not a plain file name`);
  const candidates = name ? [join(c.seccompDir, name), join(c.seccompDir, `${name}.json`)] : [join(c.seccompDir, 'default.json')];
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    if (name) throw new ContainerError(`seccomp-profile-name ${name}: no profile ${candidates.join(' or ')}`);
    return undefined;
  }
  let profile: { defaultAction?: unknown };
  try {
    profile = JSON.parse(readFileSync(file, 'utf8')) as { defaultAction?: unknown };
  } catch (e) {
    throw new ContainerError(`seccomp profile ${file} is not JSON: ${(e as Error).message}`);
  }
  if (typeof profile?.defaultAction !== 'string') throw new ContainerError(`seccomp profile ${file} has no defaultAction (an OCI linux.seccomp object is expected)`);
  return profile;
}

/**
 * Renders the config templates before the container starts, as ./bootstrap does for a host process
 * (the image has no node to run it with): sources are read from the sandbox; a destination inside
 * the sandbox goes there, any other absolute one into the container's writable layer (the image
 * underneath shows through wherever it writes nothing). No path may leave them, even through a
 * symlink of the image.
 */
export function renderTemplates(sandbox: string, root: RootLayers, env: readonly string[]): void {
  const view: Record<string, string | boolean> = {};
  for (const kv of env) {
    const eq = kv.indexOf('=');
    const v = kv.slice(eq + 1);
    view[kv.slice(0, eq)] = v.toLowerCase() === 'false' ? false : v;
  }
  for (const [key, value] of Object.entries(view)) {
    if (!key.startsWith('CONFIG_TEMPLATE_') || typeof value !== 'string') continue;
    const comma = value.indexOf(',');
    if (comma < 0) throw new ContainerError(`${key}=${value}: expected <template>,<destination>`);
    const src = inside(sandbox, resolve(sandbox, value.slice(0, comma)), key);
    const destIn = resolve(CONTAINER_SANDBOX, value.slice(comma + 1));
    let dest: string;
    if (destIn === CONTAINER_SANDBOX || destIn.startsWith(`${CONTAINER_SANDBOX}/`)) {
      dest = inside(sandbox, join(sandbox, relative(CONTAINER_SANDBOX, destIn)), key);
      mkdirSync(dirname(dest), { recursive: true });
    } else {
      inside(root.lower, join(root.lower, destIn), key);
      dest = inside(root.upper, join(root.upper, destIn), key);
      mkdirLike(root.lower, root.upper, dirname(relative('/', destIn)));
    }
    writeFileSync(dest, Mustache.render(readFileSync(src, 'utf8'), view, {}, { escape: (s: string) => s }));
  }
}

/**
 * Creates `rel`'s folders in `upper`, each with the mode and owner of the image's folder it shows
 * over (as overlayfs's copy-up would); a non-folder of the image in the way is refused.
 */
function mkdirLike(lower: string, upper: string, rel: string): void {
  let at = '';
  for (const part of rel.split('/').filter(Boolean)) {
    at = join(at, part);
    if (existsSync(join(upper, at))) continue;
    let image: ReturnType<typeof statSync> | undefined;
    try {
      image = lstatSync(join(lower, at));
    } catch {
      // not in the image: a new folder
    }
    if (image && !image.isDirectory()) throw new ContainerError(`config template: /${at} is not a folder in the image`);
    mkdirSync(join(upper, at), { mode: image ? Number(image.mode) & 0o7777 : 0o755 });
    if (image) {
      chmodSync(join(upper, at), Number(image.mode) & 0o7777);
      chownSync(join(upper, at), Number(image.uid), Number(image.gid));
    }
  }
}

/** `path`, if it stays under `root` and no existing part of it below `root` is a symlink. */
function inside(root: string, path: string, what: string): string {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new ContainerError(`${what}: ${path} leaves ${root}`);
  let at = root;
  for (const part of rel.split('/').filter(Boolean)) {
    at = join(at, part);
    try {
      if (lstatSync(at).isSymbolicLink()) throw new ContainerError(`${what}: ${at} is a symlink; templates are not written through links`);
    } catch (e) {
      if (e instanceof ContainerError) throw e;
      break; // does not exist yet
    }
  }
  return path;
}

/** Inside a container ./bootstrap has nothing left to render; it still answers -get-task-ip. */
function writeContainerBootstrap(sandbox: string): void {
  const file = join(sandbox, 'bootstrap');
  writeFileSync(
    file,
    '#!/bin/sh\n# config templates were rendered before the container started\nfor a in "$@"; do case "$a" in -get-task-ip|--get-task-ip) echo "${MESOS_CONTAINER_IP:-127.0.0.1}"; exit 0;; esac; done\nexit 0\n',
  );
  chmodSync(file, 0o755);
}


/** After its executor died: kills and deletes a task's container and its rootfs mount, if it has one. */
export function reapContainer(serviceRoot: string, taskId: string): void {
  const runcRoot = join(serviceRoot, 'runc');
  if (!existsSync(join(runcRoot, taskId))) return;
  let bundle: string | undefined;
  try {
    bundle = (JSON.parse(readFileSync(join(runcRoot, taskId, 'state.json'), 'utf8')) as { config?: { labels?: string[] } }).config?.labels?.find((l) => l.startsWith('bundle='))?.slice(7);
  } catch {
    // no state: nothing to read the bundle from
  }
  try {
    execFileSync('runc', ['--root', runcRoot, 'delete', '--force', taskId], { stdio: 'ignore' });
  } catch {
    // already gone
  }
  removeCgroups(new Set([taskId]));
  if (bundle) unmountUnder(bundle);
}

/** Forced clean-up of a service folder: every container of the service killed and deleted. */
export function reapAllContainers(serviceRoot: string): void {
  let ids: string[] = [];
  try {
    ids = readdirSync(join(serviceRoot, 'runc'));
  } catch {
    // no container was ever created: a rootfs may still be mounted
  }
  for (const id of ids) reapContainer(serviceRoot, id);
  unmountUnder(serviceRoot); // a rootfs mounted for a container runc never created
}

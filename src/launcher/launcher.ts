// install / uninstall / services: the lifecycle of a service's daemons on this machine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SvcClient } from '../client/index.js';
import { configId, findPackage, issueLines, loadServiceSpec, renderPackage, routeTaskEnv, SpecError, validateConfigUpdate, mergeOptions, type Env, type JsonObject, type ServiceSpec, type SpecIssue } from '../spec/index.js';
import { pidAlive, writeFileAtomic } from '../util/fs.js';
import { DEFAULT_ENGINE, engineKind, EngineNotAvailable, probeEngine, sweepService, unsupportedBy, type EngineKind } from '../engine/registry.js';
import { isSameProcess, pidFiles, processRef, signalGroup, signalProcess, type ProcessRef } from '../util/process-ref.js';
import { taskIdPrefix } from '../scheduler/launch.js';
import { clientFor, listServices, ServiceHome } from './home.js';
import { LauncherError } from './errors.js';
import { diffJson, podsThatRoll, type UpdatePreview } from './config-diff.js';
import { keyFilePath, SecretError, SecretStore, stampSecretVersions } from '../secrets/index.js';
import { freePort, keptShellEnv, marathonPortEnv } from './scheduler-env.js';
import { kubernetesSettings, type KubernetesFlags } from './kubernetes-options.js';
import { registryAccess } from './registry-options.js';

export { LauncherError };
export type { UpdatePreview };
import type { InstallOptions } from './scheduler-process.js';
import { STOPPED_MARKER, statusOfHealth, statusOfHome, type ServiceStatus } from './service-status.js';

const distDir = () => dirname(fileURLToPath(import.meta.url));

/** How a service was installed, so an update can render it again. */
export interface SourceInfo {
  readonly kind: 'spec' | 'package';
  /** The spec file, or the package folder. */
  readonly path: string;
  /** Package options given by the user (merged over config.json defaults at render time). */
  readonly options?: JsonObject;
  /** For a package: its spec file, when not `<package>/svc.yml`. */
  readonly specFile?: string;
  /** For a package that is a build template: its build placeholders' values (`artifact-dir`, …). */
  readonly buildVars?: Readonly<Record<string, string>>;
}

export interface Resolved {
  readonly spec: ServiceSpec;
  readonly source: SourceInfo;
  /** The scheduler env the spec was rendered with (see scheduler-env.ts). */
  readonly schedulerEnv: Record<string, string>;
}

/**
 * A spec file, a folder holding `svc.yml`, or a DC/OS package (found by findPackage, also in the
 * upstream layout) rendered with the user's options. Plain specs are rendered from this process's
 * environment, as the original rendered from the scheduler's. `apiPort` is the scheduler's API
 * port, given to the render as Marathon's `PORT0`/`PORT_API`.
 */
export async function resolveSource(source: string, options?: JsonObject, specFile?: string, env: Env = process.env, engine: EngineKind | null = DEFAULT_ENGINE, apiPort?: number, buildVars?: Readonly<Record<string, string>>): Promise<Resolved> {
  const runnable = async (r: Resolved) => (engine ? runnableOn(engine, r) : r); // null: the spec language only
  const path = resolve(source);
  if (!existsSync(path)) throw new LauncherError(`no such spec file or folder: ${source}`, 'usage');
  if (specFile && !existsSync(specFile)) throw new LauncherError(`no such spec file: ${specFile}`, 'usage');
  try {
    const found = statSync(path).isDirectory() ? findPackage(path) : undefined;
    if (found) {
      const spec = specFile ? resolve(specFile) : found.specFile;
      const pkg = await renderPackage(found.dir, options ?? {}, { specFile: spec, buildVars });
      const schedulerEnv = { ...pkg.env, ...(apiPort ? marathonPortEnv(apiPort, pkg.app) : {}) };
      return await runnable({ spec: routeTaskEnv(await loadServiceSpec(pkg.specFile, schedulerEnv), schedulerEnv), schedulerEnv, source: { kind: 'package', path, options: options ?? {}, specFile: specFile ? spec : undefined, ...(buildVars && Object.keys(buildVars).length ? { buildVars } : {}) } });
    }
    if (options || specFile || (buildVars && Object.keys(buildVars).length)) throw new LauncherError(`--options, --spec and --build-var need a package folder (with config.json and marathon.json.mustache); ${source} is a plain spec`, 'usage');
    const file = statSync(path).isDirectory() ? join(path, 'svc.yml') : path;
    if (!existsSync(file)) throw new LauncherError(`${source} has no svc.yml`, 'usage');
    const ports = apiPort ? marathonPortEnv(apiPort) : {};
    const schedulerEnv = { ...keptShellEnv(env), ...ports };
    return await runnable({ spec: routeTaskEnv(await loadServiceSpec(file, { ...env, ...ports }), schedulerEnv), schedulerEnv, source: { kind: 'spec', path: file } });
  } catch (e) {
    if (e instanceof SpecError) throw new LauncherError(e.message, 'usage');
    throw e;
  }
}

/**
 * `svc spec validate`: a spec valid in the spec language (else a usage error naming every problem),
 * and apart from that what `engine` (default: local) would refuse to run.
 */
export async function checkSpec(source: string, options?: JsonObject, specFile?: string, engineName?: string, buildVars?: Readonly<Record<string, string>>): Promise<{ spec: ServiceSpec; engine: EngineKind; refused: SpecIssue[] }> {
  const engine = chosenEngine(engineName);
  const { spec } = await resolveSource(source, options, specFile, process.env, null, undefined, buildVars);
  return { spec, engine, refused: await unsupportedBy(engine, spec) };
}

/** A valid spec can still use what the service's engine cannot provide: refuse it before anything starts. */
async function runnableOn(engine: EngineKind, r: Resolved): Promise<Resolved> {
  const issues = await unsupportedBy(engine, r.spec);
  if (issues.length > 0) throw new LauncherError(`cannot run ${r.spec.name} here:\n${issueLines(issues)}`, 'usage');
  return r;
}

/** The spec with its secrets' versions stamped in; a missing or foreign secret is the user's to fix. */
function withSecretVersions(svcHome: string, spec: ServiceSpec): ServiceSpec {
  try {
    return stampSecretVersions(spec, SecretStore.forHome(svcHome, process.env));
  } catch (e) {
    if (e instanceof SecretError) throw new LauncherError(`cannot run ${spec.name}:\n${e.message.split('\n').map((l) => `- ${l}`).join('\n')}`, e.kind === 'failed' ? 'failed' : 'usage');
    throw e;
  }
}

/** Reads a JSON options file for --options. */
export function readOptions(file: string): JsonObject {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LauncherError(`cannot read options ${file}: ${(e as Error).message}`, 'usage');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new LauncherError(`options ${file} must hold a JSON object`, 'usage');
  return v as JsonObject;
}

export interface Installed {
  readonly home: ServiceHome;
  readonly client: SvcClient;
}

/** Validates the spec, registers the service and starts its supervised scheduler. */
type RegisterOptions = Omit<InstallOptions, 'kubernetes' | 'registries'> & { options?: JsonObject; specFile?: string; engine?: string; buildVars?: Readonly<Record<string, string>>; name?: string; kubernetesFlags?: KubernetesFlags; insecureRegistries?: readonly string[] } & BindSecurity;

/**
 * `--name` at install: a package whose config.json has the usual `service.name` option is rendered
 * with it (as the original's `dcos package install` with that option); otherwise the options are
 * unchanged, and checkName refuses a name the spec does not define.
 */
function withServiceName(source: string, options: JsonObject | undefined, name: string | undefined): JsonObject | undefined {
  if (name === undefined) return options;
  const path = resolve(source);
  const found = existsSync(path) && statSync(path).isDirectory() ? findPackage(path) : undefined;
  if (!found || !existsSync(join(found.dir, 'config.json'))) return options;
  let schema: unknown;
  try {
    schema = JSON.parse(readFileSync(join(found.dir, 'config.json'), 'utf8'));
  } catch {
    return options; // renderPackage reports the broken file
  }
  const service = (schema as { properties?: { service?: { properties?: { name?: unknown } } } }).properties?.service;
  return service?.properties?.name ? mergeOptions(options ?? {}, { service: { name } }) : options;
}

function checkName(name: string | undefined, spec: ServiceSpec, source: string): void {
  if (name === undefined || name === spec.name) return;
  throw new LauncherError(`--name ${name}: ${source} defines the service "${spec.name}"; a plain spec (or a package without a service.name option) is installed under the name: in its svc.yml — change it there, or drop --name`, 'usage');
}

/** The engine an install asks for (`--engine`), refused when unknown or not built yet. */
function chosenEngine(name: string | undefined): EngineKind {
  try {
    return engineKind(name);
  } catch (e) {
    if (e instanceof EngineNotAvailable) throw new LauncherError(e.message, 'usage');
    throw e;
  }
}

/** The engine's cluster answers; else nothing is created and the operator is told why. */
async function probe(kind: EngineKind, s: Parameters<typeof probeEngine>[1]): Promise<void> {
  try {
    await probeEngine(kind, s);
  } catch (e) {
    throw new LauncherError((e as Error).message, 'failed');
  }
}

/** How an API bound beyond loopback is protected: TLS, or the operator's explicit acceptance of plain HTTP. */
export interface BindSecurity {
  /** HTTPS with a certificate from svc's CA (`--tls`). */
  readonly tls?: boolean;
  /** HTTPS with the operator's own certificate and key (PEM files). */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly insecure?: boolean;
}

const isLoopback = (ip: string): boolean => /^127\./.test(ip) || ip === '::1' || /^::ffff:127\./i.test(ip);

/**
 * The API serves task exec with a bearer token: beyond loopback, over plain HTTP, anyone on the path
 * reads the token. Such a bind needs TLS (--tls, or --tls-cert with --tls-key) or an explicit --insecure.
 */
export function checkBind(bind: string | undefined, sec: BindSecurity): void {
  if ((sec.tlsCert === undefined) !== (sec.tlsKey === undefined)) throw new LauncherError('--tls-cert and --tls-key go together: give both PEM files, or neither', 'usage');
  for (const f of [sec.tlsCert, sec.tlsKey]) if (f !== undefined && !existsSync(f)) throw new LauncherError(`no such file: ${f}`, 'usage');
  if (sec.tls && sec.tlsCert) throw new LauncherError("--tls (a certificate from svc's CA) and --tls-cert/--tls-key (your own) exclude each other", 'usage');
  if (bind === undefined) return;
  if (!isIP(bind)) throw new LauncherError(`--bind ${bind}: expected an IP address to listen on, e.g. 0.0.0.0`, 'usage');
  if (!isLoopback(bind) && !sec.insecure && !sec.tls && !sec.tlsCert) {
    throw new LauncherError(`--bind ${bind} would serve the API (task exec included) and its token over plain HTTP beyond this machine; add --tls (or --tls-cert/--tls-key) to serve HTTPS, or --insecure to accept plain HTTP`, 'usage');
  }
}

/** Validates the spec and creates the service's folder: the spec, a token, how it was installed. */
async function register(svcHome: string, source: string, opts: RegisterOptions): Promise<ServiceHome> {
  checkBind(opts.bind, opts);
  const engine = chosenEngine(opts.engine);
  const kubernetes = kubernetesSettings(engine, opts.kubernetesFlags);
  const registries = registryAccess(engine, opts.insecureRegistries, process.env);
  const agentFlags = Object.entries({ '--agents': opts.agents, '--agents-file': opts.agentSettings, '--agent-cpus': opts.agentCpus, '--agent-mem': opts.agentMem }).filter(([, v]) => v !== undefined);
  if (engine !== 'local' && agentFlags.length > 0) throw new LauncherError(`${agentFlags.map(([f]) => f).join(', ')}: only for --engine local (the ${engine} engine's agents are its nodes)`, 'usage');
  const apiPort = await freePort(opts.bind === '0.0.0.0' || opts.bind === undefined ? '127.0.0.1' : opts.bind);
  const resolved = await resolveSource(source, withServiceName(source, opts.options, opts.name), opts.specFile, process.env, engine, apiPort, opts.buildVars);
  checkName(opts.name, resolved.spec, source);
  const spec = withSecretVersions(svcHome, resolved.spec);
  const src = resolved.source;
  const home = ServiceHome.of(svcHome, spec.name);
  if (home.exists()) {
    // a scheduler that never wrote its log is one another install is starting right now
    if (!schedulerRunning(home) && !existsSync(home.path('scheduler.log'))) throw new LauncherError(`service "${spec.name}" is being installed by another command (${home.root})`, 'conflict');
    if (!schedulerRunning(home) && !home.uninstalling()) throw new LauncherError(`service "${spec.name}" is already installed (${home.root}) and its scheduler is down; start it again with: svc start ${spec.name} (its tasks and data are kept)`, 'conflict');
    throw new LauncherError(`service "${spec.name}" is already installed (${home.root}); change it with svc update start, or remove it (and its data) with: svc uninstall ${spec.name}`, 'conflict');
  }
  if (kubernetes) await probe(engine, { root: home.root, taskIdPrefix: taskIdPrefix(spec.name), kubernetes: { ...kubernetes, service: spec.name } });
  // searchable, not listable: tasks that run as another user (scheduler.user) reach their sandboxes through it
  mkdirSync(svcHome, { recursive: true, mode: 0o711 });
  try {
    mkdirSync(home.root, { mode: 0o700 }); // atomic: of two racing installs, one wins
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new LauncherError(`service "${spec.name}" is being installed by another command (${home.root})`, 'conflict');
    throw e;
  }
  writeFileAtomic(home.path('spec.json'), JSON.stringify(spec, null, 2));
  writeFileAtomic(home.path('token'), randomBytes(24).toString('base64url'), 0o600);
  writeSchedulerEnv(home, resolved.schedulerEnv);
  const engineOptions: InstallOptions = { agentSettings: opts.agentSettings, agents: opts.agents, agentCpus: opts.agentCpus, agentMem: opts.agentMem, bind: opts.bind, permanentFailureTimeout: opts.permanentFailureTimeout, apiPort, tls: opts.tls, tlsCert: opts.tlsCert && resolve(opts.tlsCert), tlsKey: opts.tlsKey && resolve(opts.tlsKey), secretKeyFile: keyFilePath(process.env), kubernetes, registries };
  writeFileAtomic(home.path('service.json'), JSON.stringify({ name: spec.name, source: src, installedAt: new Date().toISOString(), engine, options: engineOptions }, null, 2));
  return home;
}

/** Registers the service and starts its supervised scheduler in the background. */
export async function install(svcHome: string, source: string, opts: RegisterOptions = {}): Promise<Installed> {
  const home = await register(svcHome, source, opts);
  warnIfTasksRunAsRoot(home);
  startSupervisor(home);
  const url = await waitForApi(home, 20_000);
  return { home, client: new SvcClient({ url, token: home.token(), ca: home.apiCa() }) };
}

/** Whether the service's supervisor or scheduler is alive (checked by process reference, not bare pid). */
export function schedulerRunning(home: ServiceHome): boolean {
  return isSameProcess(home.supervisorRef()) || isSameProcess(home.schedulerRef());
}

/**
 * `svc start`: supervises again an installed service whose scheduler is down (after `svc stop`, a
 * reboot, or a fatal failure once its cause is fixed). The new scheduler reconciles with the
 * executors and adopts the tasks still running.
 */
export async function start(home: ServiceHome): Promise<Installed> {
  if (home.uninstalling()) throw new LauncherError(`${home.name} is being uninstalled; finish it with: svc uninstall ${home.name}`, 'conflict');
  const release = takeStartLock(home);
  try {
    if (schedulerRunning(home)) throw new LauncherError(`the scheduler of ${home.name} is already running (pid ${home.schedulerPid() ?? home.supervisorPid()})`, 'conflict');
    // what the last scheduler left: a stale api.json or pid file must not pass for the new one
    for (const f of [home.path('failed'), home.path(STOPPED_MARKER), home.path('api.json'), ...pidFiles(home.path('scheduler.pid')), ...pidFiles(home.path('supervisor.pid'))]) rmSync(f, { force: true });
    warnIfTasksRunAsRoot(home);
    startSupervisor(home);
    const url = await waitForApi(home, 20_000);
    return { home, client: new SvcClient({ url, token: home.token(), ca: home.apiCa() }) };
  } finally {
    release();
  }
}

/**
 * Of two `svc start` at once, one starts a supervisor: the other finds `starting` held by a live
 * process (its reference), and a lock left by a start that died is taken over.
 */
function takeStartLock(home: ServiceHome): () => void {
  const lock = home.path('starting');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, JSON.stringify(processRef(process.pid)), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: ProcessRef | undefined;
      try {
        holder = JSON.parse(readFileSync(lock, 'utf8')) as ProcessRef;
      } catch {
        holder = undefined; // torn: its writer died mid-write
      }
      if (isSameProcess(holder)) throw new LauncherError(`the scheduler of ${home.name} is being started by another command (pid ${holder?.pid})`, 'conflict');
      rmSync(lock, { force: true });
    }
  }
  throw new LauncherError(`the scheduler of ${home.name} is being started by another command`, 'conflict');
}

/**
 * `svc stop`: stops the supervisor and its scheduler (or a foreground one from `svc run`); the
 * executors and their tasks keep running, as through a scheduler crash. Only the processes the
 * pid files' references name are signalled. Resolves to false when nothing was running.
 */
export async function stop(home: ServiceHome, timeoutMs = 20_000): Promise<boolean> {
  if (!schedulerRunning(home)) return false;
  // the supervisor stops its scheduler on SIGTERM and does not restart it
  if (!signalProcess(home.supervisorRef(), 'SIGTERM')) signalProcess(home.schedulerRef(), 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && schedulerRunning(home)) await sleep(25);
  if (schedulerRunning(home)) {
    signalProcess(home.supervisorRef(), 'SIGKILL');
    signalProcess(home.schedulerRef(), 'SIGKILL');
  }
  rmSync(home.path('api.json'), { force: true });
  writeFileAtomic(home.path(STOPPED_MARKER), new Date().toISOString()); // svc services: STOPPED, not DOWN
  return true;
}

/**
 * `svc run`: the scheduler in this process, in the foreground, logging to stdout. A new service is
 * registered first; an installed one whose scheduler is not running is taken over. Stopping it
 * (Ctrl-C) leaves the tasks running, as a crash would; `svc uninstall` removes everything.
 */
export async function runForeground(svcHome: string, source: string, opts: RegisterOptions = {}): Promise<ServiceHome> {
  const { spec } = await resolveSource(source, withServiceName(source, opts.options, opts.name), opts.specFile, process.env, chosenEngine(opts.engine), 1, opts.buildVars); // for its name only
  checkName(opts.name, spec, source);
  const existing = ServiceHome.of(svcHome, spec.name);
  let home: ServiceHome;
  if (existing.exists()) {
    if (schedulerRunning(existing)) {
      throw new LauncherError(`the scheduler of ${spec.name} is already running (pid ${existing.schedulerPid()}); stop it first with: svc stop ${spec.name}`, 'conflict');
    }
    home = existing;
    rmSync(home.path(STOPPED_MARKER), { force: true });
  } else home = await register(svcHome, source, opts);
  warnIfTasksRunAsRoot(home);
  const { runScheduler } = await import('./scheduler-process.js');
  await runScheduler(home.root);
  return home;
}

/**
 * Renders the service's source again (with new package options merged over the previous ones, or
 * replacing them, or the spec file as it is now), checks the update against the current target,
 * and on success makes it the target on disk. A rejected update changes nothing. The running
 * scheduler still has to be restarted to roll it out (see update).
 */
export async function applyUpdate(home: ServiceHome, newOptions?: JsonObject, replace = false): Promise<{ spec: ServiceSpec; options?: JsonObject }> {
  const u = await renderUpdate(home, newOptions, replace);
  if (u.issues.length > 0) {
    throw new LauncherError(`update rejected, ${home.name} keeps running its current config:\n${issueLines(u.issues)}`, 'failed');
  }
  if (configId(u.current) === configId(u.spec)) throw new LauncherError(`nothing to update: the new config of ${home.name} equals its current one`, 'failed');
  writeFileAtomic(home.path('spec.json'), JSON.stringify(u.spec, null, 2));
  writeSchedulerEnv(home, u.schedulerEnv);
  writeFileAtomic(home.path('service.json'), JSON.stringify({ ...u.info, source: { ...u.info.source, options: u.options } }, null, 2));
  return { spec: u.spec, options: u.options };
}

interface RenderedUpdate {
  readonly info: NonNullable<ReturnType<ServiceHome['info']>>;
  readonly current: ServiceSpec;
  readonly spec: ServiceSpec;
  readonly previousOptions?: JsonObject;
  readonly options?: JsonObject;
  readonly schedulerEnv: Record<string, string>;
  readonly issues: ReturnType<typeof validateConfigUpdate>;
}

/** The update as it would be: the service rendered again beside its current target, nothing written. */
async function renderUpdate(home: ServiceHome, newOptions: JsonObject | undefined, replace: boolean): Promise<RenderedUpdate> {
  const info = home.info();
  if (!info) throw new LauncherError(`${home.root} is not a service folder`, 'not-found');
  const src = info.source;
  if (newOptions && src.kind !== 'package') throw new LauncherError(`${home.name} was installed from a plain spec (${src.path}); edit it and run svc update start without --options`, 'usage');
  const options = src.kind === 'package' ? (replace ? (newOptions ?? {}) : mergeOptions(src.options ?? {}, newOptions ?? {})) : undefined;
  const resolved = await resolveSource(src.path, options, src.specFile, process.env, home.engine(), apiPortOf(home), src.buildVars);
  const spec = withSecretVersions(dirname(home.root), resolved.spec);
  const current = JSON.parse(readFileSync(home.path('spec.json'), 'utf8')) as ServiceSpec;
  return { info, current, spec, previousOptions: src.options, options, schedulerEnv: resolved.schedulerEnv, issues: validateConfigUpdate(current, spec) };
}

/** `svc update start --dry-run`: what the update would change and which pods would roll; nothing is written. */
export async function previewUpdate(home: ServiceHome, newOptions?: JsonObject, replace = false): Promise<UpdatePreview> {
  const u = await renderUpdate(home, newOptions, replace);
  return {
    name: home.name,
    options: u.options !== undefined ? diffJson(u.previousOptions ?? {}, u.options) : [],
    spec: diffJson(u.current, u.spec),
    rolls: podsThatRoll(u.current, u.spec),
    issues: u.issues.map((i) => `${i.path}: ${i.message}`),
  };
}

/** applyUpdate, then restarts the scheduler on the new target (which rolls it out) and waits for it. */
export async function update(home: ServiceHome, newOptions?: JsonObject, replace = false): Promise<{ spec: ServiceSpec; client: SvcClient }> {
  const { spec } = await applyUpdate(home, newOptions, replace);
  const oldPid = home.schedulerPid();
  signalProcess(home.schedulerRef(), 'SIGTERM'); // the supervisor starts it again on the new target
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && (home.schedulerPid() === oldPid || !pidAlive(home.schedulerPid()))) await sleep(25);
  return { spec, client: clientFor(home) };
}

/** The API port the service was installed with (older installs: the one it last listened on). */
function apiPortOf(home: ServiceHome): number | undefined {
  const stored = (home.info()?.options as InstallOptions | undefined)?.apiPort;
  const url = home.apiUrl();
  return stored ?? (url ? Number(new URL(url).port) || undefined : undefined);
}

/** 0600: a package's env may hold credentials given as options. */
const writeSchedulerEnv = (home: ServiceHome, env: Record<string, string>) => writeFileAtomic(home.path('scheduler-env.json'), JSON.stringify(env, null, 2), 0o600);

const runsAsRoot = (): boolean => process.getuid?.() === 0;

/** svc as root runs tasks as the spec's user; when that is root too, say so rather than do it silently. */
function warnIfTasksRunAsRoot(home: ServiceHome): void {
  if (!runsAsRoot()) return;
  const spec = JSON.parse(readFileSync(home.path('spec.json'), 'utf8')) as ServiceSpec;
  if (spec.scheduler.user === 'root') {
    process.stderr.write(`svc: warning: svc runs as root and ${home.name}'s scheduler.user is root (the default): its tasks run as root; set scheduler.user to run them as another user\n`);
  }
}

export function startSupervisor(home: ServiceHome): void {
  const log = openSync(home.path('supervisor.log'), 'a');
  const child = spawn(process.execPath, [join(distDir(), 'daemon.js'), 'supervise', home.root], {
    detached: true,
    stdio: ['ignore', log, log],
    cwd: home.root,
  });
  closeSync(log);
  child.unref();
}

/** Waits until the scheduler serves its API; fails with the log's tail if it dies first. */
export async function waitForApi(home: ServiceHome, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const url = home.apiUrl();
    if (url && pidAlive(home.schedulerPid())) return url;
    const sup = home.supervisorPid();
    if (sup && !pidAlive(sup)) break;
    await sleep(25);
  }
  throw new LauncherError(`the scheduler of ${home.name} did not start; last lines of ${home.path('scheduler.log')}:\n${tail(home.path('scheduler.log'), 10)}`);
}

export interface UninstallProgress {
  (what: string): void;
}

/**
 * Asks the scheduler to run its uninstall plan and waits for it to exit; whatever is left after
 * that (a crashed scheduler, a half-done uninstall) is swept here. Always ends with no process and
 * no folder of the service.
 */
export async function uninstall(home: ServiceHome, progress: UninstallProgress = () => {}, timeoutMs = 120_000): Promise<void> {
  writeFileSync(home.path('uninstalling'), new Date().toISOString());
  const deadline = Date.now() + timeoutMs;
  const url = home.apiUrl();
  if (url && pidAlive(home.schedulerPid())) {
    const client = new SvcClient({ url, token: home.token(), ca: home.apiCa() });
    try {
      await client.uninstall();
      // the supervisor (or a foreground scheduler from `svc run`) exits once the plan is done
      while (Date.now() < deadline && (pidAlive(home.supervisorPid()) || pidAlive(home.schedulerPid()))) {
        const plan = await client.plan('deploy').catch(() => undefined);
        if (plan) {
          const steps = plan.body.phases.flatMap((p) => p.steps);
          progress(`killing tasks and releasing resources: ${steps.filter((s) => s.status === 'COMPLETE').length}/${steps.length} uninstall steps complete`);
        }
        await sleep(100);
      }
    } catch {
      // the scheduler went away mid-way: the sweep below finishes the job
    }
  }
  // the scheduler exits as its last step, often before a poll sees the plan complete
  progress('scheduler done; removing processes and files');
  await sweep(home);
}

/** Kills every process of the service (supervisor, scheduler, executors, tasks) and removes its folder. */
export async function sweep(home: ServiceHome): Promise<void> {
  // the supervisor leads a process group holding its scheduler, including one it has just started
  // and that has not written its pid yet; pid files can outlive their process (a reboot), so only
  // the very processes they were written by are signalled
  signalGroup(home.supervisorRef(), 'SIGKILL');
  signalProcess(home.schedulerRef(), 'SIGKILL');
  // the engine's own last resort: its executors, tasks and execs, and what it holds outside the folder
  const kubernetes = (home.info()?.options as InstallOptions | undefined)?.kubernetes;
  await sweepService(home.engine(), { root: home.root, taskIdPrefix: taskIdPrefix(home.name), ...(kubernetes ? { kubernetes: { ...kubernetes, service: home.name } } : {}) });
  rmSync(home.root, { recursive: true, force: true });
}

export interface ServiceSummary {
  name: string;
  status: ServiceStatus;
  url: string | null;
  pid: number | null;
  home: string;
}

/** Installed services and their state, from the registry and a health probe of each. */
export async function services(svcHome: string): Promise<ServiceSummary[]> {
  return Promise.all(
    listServices(svcHome).map(async (home): Promise<ServiceSummary> => {
      const pid = home.schedulerPid();
      const alive = pidAlive(pid);
      const url = alive ? (home.apiUrl() ?? null) : null;
      let status = statusOfHome(home, url) ?? 'DOWN';
      if (url && status === 'DOWN') {
        const client = new SvcClient({ url, token: home.token(), ca: home.apiCa() });
        status = statusOfHealth((await client.health().catch(() => undefined))?.status);
        // without a launch backoff (the default) no step is DELAYED: a crash loop shows in the tasks
        if (status !== 'DOWN' && status !== 'FAILING' && (await keepsFailing(client))) status = 'FAILING';
      }
      return { name: home.name, status, url, pid: alive ? (pid ?? null) : null, home: home.root };
    }),
  );
}

/** Whether a task of the service is in a crash loop (svc's GET /v1/tasks; false if it does not answer). */
async function keepsFailing(client: SvcClient): Promise<boolean> {
  const tasks = await client.tasks().catch(() => undefined);
  return !!tasks?.body.some((t) => t.failing);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// Container images on the local engine, offline: a ~10 MB image built here (static busybox plus this
// machine's memcached), pushed to a docker-registry on loopback, then pull + unpack (cold and cached),
// task launch → RUNNING in a container beside a host process of the same pod shape in the same
// service (the host launch is the floor; target ≤ 2×), a bare `runc run` of the image, and the RSS of
// a container task with its foreground runc. Needs root and runc, skopeo, umoci, docker-registry.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../src/engine/local/images.js';
import { ociJson, ociSpec } from '../src/engine/local/oci-spec.js';
import { buildAndPushImage, INSTALL_HINT, missingImageTools, startRegistry, type Registry } from '../test/support/image-registry.js';
import type { Floors } from './floors.js';
import { figure, floorOf, now, progress, rssMb, sample, sharedAwareMb, stats, waitFor, type Figure, type Floor } from './measure.js';
import { installAndWait, TempHome, type Service } from './service.js';

/** One task as both pod types run it: a shell that execs sleep, small limits. */
const TASK = '{goal: RUNNING, cmd: exec sleep 1000000, cpus: 0.1, memory: 32}';

/**
 * A warm-up container pod (it pulls the image and starts the agent's executor host), then `pairs`
 * pairs of one host pod and one container pod, alternating which goes first, one step at a time.
 */
function launchSpec(image: string, pairs: number): string {
  const order: string[] = [];
  for (let i = 0; i < pairs; i++) order.push(...(i % 2 ? [`boxed${i}`, `bare${i}`] : [`bare${i}`, `boxed${i}`]));
  const pod = (name: string) => `  ${name}:\n    count: 1\n${name.startsWith('bare') ? '' : `    image: ${image}\n`}    tasks:\n      server: ${TASK}\n`;
  return [
    'name: bench-containers',
    'pods:',
    pod('warm').trimEnd(),
    ...order.map((n) => pod(n).trimEnd()),
    'plans:',
    '  deploy:',
    '    strategy: serial',
    '    phases:',
    '      warm: {strategy: serial, pod: warm}',
    ...order.map((n) => `      ${n}: {strategy: serial, pod: ${n}}`),
    '',
  ].join('\n');
}

export async function containerFigures(quick: boolean, floors: Floors): Promise<Figure[]> {
  const missing = missingImageTools();
  if (missing.length > 0) throw new Error(`skipped: missing ${missing.join(', ')} (${INSTALL_HINT})`);
  const sh = await floors.shSpawn();
  const work = mkdtempSync(join(tmpdir(), 'svc-bench-images-'));
  let registry: Registry | undefined;
  const home = new TempHome();
  try {
    registry = await startRegistry({ dir: work });
    progress('containers: building and pushing the test image');
    buildAndPushImage(join(work, 'layout'), registry.address, '1', 'bench');
    const ref = `${registry.address}/memcached:1`;
    const figures = [...(await pullFigures(quick, work, registry.address, ref))];
    const runc = await runcFigure(quick, work, ref, sh);
    figures.push(runc, ...(await launchFigures(quick, home, ref, runc.median)));
    return figures;
  } finally {
    await home.cleanup();
    await registry?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Pull + unpack into an empty store (cold) and from the store (cached); the floor runs skopeo and umoci alone. */
async function pullFigures(quick: boolean, work: string, registry: string, ref: string): Promise<Figure[]> {
  const n = quick ? 3 : 7;
  const cold: number[] = [];
  const cached: number[] = [];
  let size = 0;
  for (let i = 0; i < n; i++) {
    progress(`containers: pull + unpack, cold (${i + 1}/${n})`);
    const store = new ImageStore(join(work, `store-${i}`));
    const t0 = now();
    size = (await store.get(ref)).size;
    cold.push(now() - t0);
    cached.push(...(await sample(quick ? 20 : 100, () => store.get(ref), 0)));
    rmSync(store.dir, { recursive: true, force: true });
  }
  const tools: number[] = [];
  for (let i = 0; i < n; i++) {
    const dir = join(work, `tools-${i}`);
    mkdirSync(dir);
    const t0 = now();
    execFileSync('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${registry}/memcached:1`, `oci:${dir}/oci:x`]);
    execFileSync('umoci', ['unpack', '--image', `${dir}/oci:x`, join(dir, 'bundle')]);
    tools.push(now() - t0);
    rmSync(dir, { recursive: true, force: true });
  }
  const mb = (size / 1e6).toFixed(1);
  return [
    figure(`image pull + unpack, cold (${mb} MB image)`, 'ms', cold, floorOf('`skopeo copy` + `umoci unpack` of the same image, run alone', tools), undefined, 'ImageStore.get into an empty store from the loopback registry'),
    figure('image pull + unpack, cached', 'ms', cached, null, undefined, 'ImageStore.get of a reference the store has (what every container launch does)'),
  ];
}

/**
 * `runc run` alone, with svc's config (oci-spec.ts: the image under an overlay runc mounts), from its
 * spawn until the task's process runs (runc's pid file, what the executor waits for): the part of a
 * container launch that runc itself takes.
 */
async function runcFigure(quick: boolean, work: string, ref: string, sh: Floor): Promise<Figure> {
  const image = await new ImageStore(join(work, 'store-runc')).get(ref);
  const bundle = join(work, 'bundle');
  const [upper, workDir, rootfs, runcRoot] = ['upper', 'work', 'rootfs', 'runc'].map((d) => join(bundle, d));
  for (const d of [upper, workDir, rootfs, runcRoot]) mkdirSync(d, { recursive: true });
  const pidFile = join(bundle, 'pid');
  let i = 0;
  const once = async () => {
    const id = `svc-bench-runc-${process.pid}-${i++}`;
    const spec = ociSpec({ rootfs, overlay: { lower: image.rootfs, upper, work: workDir }, hostname: 'bench', args: ['/bin/sh', '-c', 'exec sleep 1000'], env: ['PATH=/usr/bin:/bin'], cwd: '/', uid: 0, gid: 0, binds: [], memoryMb: 32, cpus: 0.1, rlimits: [], cgroupsPath: `/svc/${id}` });
    writeFileSync(join(bundle, 'config.json'), ociJson(spec));
    rmSync(pidFile, { force: true });
    const t0 = now();
    const child = spawn('runc', ['--root', runcRoot, 'run', '--pid-file', pidFile, '--bundle', bundle, id], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor('runc to start the container', () => existsSync(pidFile) || child.exitCode !== null, 30_000, 1);
      if (!existsSync(pidFile)) throw new Error(`runc run exited ${child.exitCode} before the container ran`);
      return now() - t0;
    } finally {
      try {
        execFileSync('runc', ['--root', runcRoot, 'kill', id, 'KILL'], { stdio: 'ignore' });
      } catch {
        child.kill('SIGKILL'); // no container to kill: runc itself, if it still runs
      }
      await exited;
    }
  };
  progress('containers: runc run alone');
  await once();
  const xs: number[] = [];
  for (let n = 0; n < (quick ? 5 : 20); n++) xs.push(await once());
  return figure('`runc run` alone: spawn → the task\'s process runs', 'ms', xs, sh, undefined, "svc's config.json (oci-spec.ts), the image under the overlay runc mounts; until runc writes its pid file, polled every 1 ms");
}

/** Launch → RUNNING of container and host pods of one service, one step at a time; RSS of the container tasks. */
async function launchFigures(quick: boolean, home: TempHome, ref: string, runcMs: number): Promise<Figure[]> {
  const pairs = quick ? 5 : 15;
  progress(`containers: deploy of ${pairs} host and ${pairs} container pods, one at a time`);
  const { service } = await installAndWait(home, 'bench-containers', launchSpec(ref, pairs), ['--agents', '1', '--agent-cpus', '8', '--agent-mem', '8192'], 300_000, 200);
  const times = service.taskTimes();
  const of = (kind: string) => times.filter((t) => t.pod.startsWith(kind)).map((t) => t.running - t.launched);
  const bare = of('bare');
  const boxed = of('boxed');
  const host = floorOf('host-process launch → RUNNING, same pod shape, same run', bare);
  const launch = figure(
    'task launch → RUNNING in a container, image cached',
    'ms',
    boxed,
    host,
    { max: 2 * host.median },
    `scheduler \`launching <step>\` → TASK_RUNNING journaled (RUNNING once runc started the task's process); ${pairs} container and ${pairs} host pods deployed one step at a time, alternating; container launches: ${boxed.map((x) => x.toFixed(0)).join(', ')} ms, host launches: ${bare.map((x) => x.toFixed(0)).join(', ')} ms; target ≤ 2× the host median; the container's extra ${(stats(boxed).median - host.median).toFixed(0)} ms beside \`runc run\` alone ${runcMs.toFixed(0)} ms`,
  );
  return [launch, ...rssFigure(service)];
}

/** Per container task: its process and its foreground `runc run`, beside a host task's process. */
function rssFigure(service: Service): Figure[] {
  const pids = service.taskPids(); // task name → the pid journaled (the container's runc run; the host task's process)
  const containers = JSON.parse(execFileSync('runc', ['--root', join(service.root, 'runc'), 'list', '--format', 'json'], { encoding: 'utf8' }) || 'null') as Array<{ pid: number; status: string }> | null;
  const inside = new Map<number, number>(); // runc run pid → the container's process
  for (const c of (containers ?? []).filter((x) => x.status === 'running')) {
    const parent = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${c.pid}/status`, 'utf8'))?.[1]);
    inside.set(parent, c.pid);
  }
  const task: number[] = [];
  const runc: number[] = [];
  const pss: number[] = [];
  const host: number[] = [];
  for (const [name, pid] of pids) {
    if (name.startsWith('bare')) {
      const mb = rssMb(pid);
      if (mb !== undefined) host.push(mb);
      continue;
    }
    const child = inside.get(pid);
    if (child === undefined) continue;
    const [a, b, sa, sb] = [rssMb(child), rssMb(pid), sharedAwareMb(child), sharedAwareMb(pid)];
    if (a !== undefined && b !== undefined && sa && sb) {
      task.push(a);
      runc.push(b);
      pss.push(sa.pss + sb.pss);
    }
  }
  if (task.length === 0) throw new Error('no running container task to measure the RSS of');
  const total = task.map((x, i) => x + runc[i]);
  const s = (xs: number[]) => stats(xs).median.toFixed(1);
  return [
    figure('RSS per container task (its process + its `runc run`)', 'MB', total, host.length ? floorOf('RSS of a host task (the same `sleep`)', host) : null, undefined, `the task's process ${s(task)} MB, its foreground runc ${s(runc)} MB (medians); PSS of both ${s(pss)} MB with ${pss.length} containers running (runc's binary pages are shared between them)`),
  ];
}

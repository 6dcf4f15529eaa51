// Real services on the local engine: task launch → RUNNING, deploys of one-task pods (parallel and
// serial phase), the serial per-step overhead, failure → relaunch after kill -9, scheduler restart →
// reconciled, and the RSS of the scheduler and of the executors (one host process per agent).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Floors } from './floors.js';
import { curve, figure, now, progress, rssMb, sharedAwareMb, sleep, stats, waitFor, type Curve, type Figure, type Floor } from './measure.js';
import { installAndWait, podsSpec, type Service, TempHome } from './service.js';

const AGENTS = ['--agents', '3', '--agent-cpus', '4', '--agent-mem', '8192'];

interface DeployRun {
  readonly size: number;
  readonly strategy: 'serial' | 'parallel';
  readonly seconds: number;
  /** The deploy phase's strategy as the API reports it. */
  readonly reported: string;
  /** Per task: the scheduler's `launching` log line → the executor's TASK_RUNNING journal entry (ms). */
  readonly launchToRunning: number[];
  /** Serial only: previous task RUNNING → next step launched (ms). */
  readonly stepOverhead: number[];
  readonly uninstallSeconds: number;
  /** Where the time went, from the logs. */
  readonly timeline: string;
}

export async function liveFigures(quick: boolean, floors: Floors): Promise<{ figures: Figure[]; curves: Curve[] }> {
  const sh = await floors.shSpawn();
  const node = await floors.nodeSpawn();
  const nodeRss = await floors.nodeRss();
  const figures: Figure[] = [];

  // one task, several installs
  const one = { install: [] as number[], launch: [] as number[] };
  for (let i = 0; i < (quick ? 2 : 5); i++) {
    progress(`live: install of one task (${i + 1})`);
    const home = new TempHome();
    try {
      const { service, ms } = await installAndWait(home, 'bench-one', podsSpec('bench-one', 1, 'serial'), AGENTS);
      one.install.push(ms);
      one.launch.push(...service.taskTimes().map((t) => t.running - t.launched));
    } finally {
      await home.cleanup();
    }
  }
  figures.push(figure('task launch → RUNNING, 1 task', 'ms', one.launch, sh, undefined, 'from the scheduler logging `launching <step>` to the executor journaling TASK_RUNNING; includes starting the agent\'s executor host'));
  figures.push(figure('svc install --no-wait → deploy COMPLETE, 1 task', 'ms', one.install, node, undefined, 'CLI, supervisor, scheduler and executor start, as seen by polling the plan every 10 ms'));

  // deploys at three sizes; the parallel deploy of `focus` pods also hosts the failure, restart and RSS figures
  const sizes = quick ? [5, 10, 20] : [10, 100, 500];
  const focus = quick ? 20 : 100;
  const runs: DeployRun[] = [];
  let extras: Figure[] = [];
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i];
    for (const strategy of ['parallel', 'serial'] as const) {
      const home = new TempHome();
      try {
        progress(`live: deploy of ${size} one-task pods, ${strategy} phase`);
        const name = `bench-${strategy}-${size}`;
        const { service, ms, startedAt } = await installAndWait(home, name, podsSpec(name, size, strategy), AGENTS, 600_000);
        const times = service.taskTimes().sort((a, b) => a.launched - b.launched);
        const s = (epoch: number) => `${((epoch - startedAt) / 1000).toFixed(2)} s`;
        const run = {
          timeline:
            `scheduler serving at ${s(service.servingAt() ?? NaN)}, first step launched at ${s(times[0].launched)}, last at ${s(times[times.length - 1].launched)}, ` +
            `last task RUNNING at ${s(Math.max(...times.map((t) => t.running)))}, plan seen COMPLETE at ${(ms / 1000).toFixed(2)} s`,
          size,
          strategy,
          seconds: ms / 1000,
          reported: (await service.phaseStrategies()).join(','),
          launchToRunning: times.map((t) => t.running - t.launched),
          stepOverhead: times.slice(1).map((t, j) => t.launched - times[j].running),
        };
        progress(`live: ${size} pods ${strategy}: ${run.seconds.toFixed(2)} s (phase strategy reported: ${run.reported})`);
        if (strategy === 'parallel' && size === focus) {
          extras = await focusFigures(service, size, quick, { sh, node, nodeRss });
        }
        const t0 = now();
        await home.cleanup();
        runs.push({ ...run, uninstallSeconds: (now() - t0) / 1000 });
      } finally {
        await home.cleanup();
      }
    }
  }

  const at = (size: number, strategy: DeployRun['strategy']) => runs.find((r) => r.size === size && r.strategy === strategy) as DeployRun;
  const focusPar = at(focus, 'parallel');
  figures.push(figure(`task launch → RUNNING, ${focus} tasks over 3 agents (each task)`, 'ms', focusPar.launchToRunning, sh, undefined, `from the ${focus}-pod parallel deploy`));
  for (const r of runs) {
    const floor = r.strategy === 'parallel' ? await floors.concurrentShSpawns(r.size) : { name: `${r.size} × spawn of \`sh -c true\``, median: (r.size * sh.median) / 1000 };
    const note = `${(r.size / r.seconds).toFixed(1)} pods/s; deploy phase strategy reported by the API: ${r.reported}; ${r.timeline}; uninstall took ${r.uninstallSeconds.toFixed(1)} s`;
    const target = r.strategy === 'parallel' && r.size === 100 ? { max: 3 } : undefined;
    figures.push(figure(`deploy ${r.size} one-task pods, ${r.strategy} phase (install → COMPLETE)`, 's', [r.seconds], floor, target, note));
  }
  const focusSer = at(focus, 'serial');
  figures.push(figure(`serial deploy: per-step overhead beyond the task's own start (${focus} steps)`, 'ms', focusSer.stepOverhead, await floors.durableWrite(), { max: 50 }, "previous task's TASK_RUNNING in its journal → the scheduler logging `launching` for the next step"));
  figures.push(...extras);

  const bySize = (strategy: DeployRun['strategy'], pick: (r: DeployRun) => number) => runs.filter((r) => r.strategy === strategy).map((r) => ({ size: r.size, median: Number(pick(r).toFixed(3)) }));
  const curves = [
    curve('deploy, parallel phase, by pods', 's', bySize('parallel', (r) => r.seconds)),
    curve('deploy, serial phase, by pods', 's', bySize('serial', (r) => r.seconds)),
    curve('serial per-step overhead (median), by pods', 'ms', bySize('serial', (r) => stats(r.stepOverhead).median)),
    curve('task launch → RUNNING (median), parallel deploy, by pods', 'ms', bySize('parallel', (r) => stats(r.launchToRunning).median)),
    curve('uninstall (svc uninstall --yes), parallel deploy, by pods', 's', bySize('parallel', (r) => r.uninstallSeconds)),
  ];
  return { figures, curves };
}

/** On a deployed service of `size` pods: RSS, failure → relaunch, scheduler restart → reconciled. */
async function focusFigures(service: Service, size: number, quick: boolean, f: { sh: Floor; node: Floor; nodeRss: Floor }): Promise<Figure[]> {
  await sleep(1000);
  const hosts = service.executorHosts();
  const hostRss = hosts.flatMap((h) => rssMb(h.pid) ?? []);
  const perPod = hosts.flatMap((h) => (rssMb(h.pid) ?? NaN) / h.pods).filter((x) => !Number.isNaN(x));
  const shared = hosts.flatMap((h) => sharedAwareMb(h.pid) ?? []);
  const executorNote =
    `${hosts.length} executor host processes (one per agent) run the executors of ${hosts.reduce((n, h) => n + h.pods, 0)} pod instances; each sample is a host's RSS divided by the pods it runs; ` +
    `host RSS median ${stats(hostRss).median.toFixed(1)} MB, PSS ${stats(shared.map((m) => m.pss)).median.toFixed(1)} MB, private ${stats(shared.map((m) => m.private)).median.toFixed(1)} MB`;
  const schedulerRss = rssMb(service.schedulerPid()) ?? NaN;
  const { relaunch, detect } = await relaunchTimes(service, quick ? 3 : 10);
  const r = await restartTimes(service, size, quick ? 1 : 3);
  const restartNote =
    `the new scheduler's API first answered the plan COMPLETE after ${r.api.map((x) => Math.round(x)).join('/')} ms; ` +
    `the supervisor waited ${r.backoff.join('/')} ms before restarting; reconciled = the new scheduler holds a connection to every executor; ` +
    `task pids unchanged and alive after ${r.samePids} of ${r.total.length} restarts`;
  return [
    figure(`scheduler RSS with ${size} tasks running`, 'MB', [schedulerRss], f.nodeRss),
    figure('executor RSS per pod', 'MB', perPod, f.nodeRss, { max: 40 }, executorNote),
    figure('executor host RSS (one per agent)', 'MB', hostRss, f.nodeRss),
    figure('failure → relaunch: kill -9 of a task → new incarnation RUNNING (first failure, no backoff)', 'ms', relaunch, f.sh, { max: 250 }, detect.length ? `kill → TASK_FAILED journaled (detection): median ${stats(detect).median} ms` : undefined),
    figure(`scheduler restart: kill -9 → reconciled, ${size} tasks`, 'ms', r.total, f.node, undefined, restartNote),
    figure(`scheduler restart: kill -9 → reconciled, ${size} tasks, without the supervisor's restart delay`, 'ms', r.own, f.node),
  ];
}

/** kill -9 of the task of pods p-0 … p-(n-1), one at a time: kill → TASK_FAILED and → new incarnation RUNNING, from the journal. */
async function relaunchTimes(service: Service, n: number): Promise<{ relaunch: number[]; detect: number[] }> {
  progress(`live: kill -9 of one task in each of ${n} pods, waiting for each relaunch`);
  const detect: number[] = [];
  const relaunch: number[] = [];
  for (let i = 0; i < n; i++) {
    const pod = `p-${i}`;
    const running = [...service.journal(pod)].reverse().find((e) => e.status.state === 'TASK_RUNNING');
    if (!running?.status.pid) throw new Error(`no running task in ${pod}`);
    const old = running.status.taskId;
    const t0 = Date.now();
    process.kill(running.status.pid, 'SIGKILL');
    const next = await waitFor(`relaunch in ${pod}`, () => service.journal(pod).find((e) => e.status.state === 'TASK_RUNNING' && e.status.taskId !== old), 30_000, 2);
    const failed = service.journal(pod).find((e) => e.status.taskId === old && e.status.state === 'TASK_FAILED');
    relaunch.push(next.status.timestamp * 1000 - t0);
    if (failed) detect.push(failed.status.timestamp * 1000 - t0);
    await waitFor('recovery COMPLETE', async () => JSON.parse((await service.get('/v1/plans/recovery')).text).status === 'COMPLETE', 30_000, 10);
  }
  return { relaunch, detect };
}

/** kill -9 of the scheduler, `n` times: → the supervisor's new scheduler answers COMPLETE and is connected to every executor. */
async function restartTimes(service: Service, size: number, n: number) {
  const r = { total: [] as number[], own: [] as number[], api: [] as number[], backoff: [] as number[], samePids: 0 };
  for (let i = 0; i < n; i++) {
    progress(`live: kill -9 of the scheduler with ${size} tasks running (${i + 1})`);
    const pids = service.taskPids();
    const old = service.schedulerPid();
    const t0 = now();
    process.kill(old, 'SIGKILL');
    let apiAt = 0;
    await waitFor(
      'the new scheduler to reconcile',
      async () => {
        const p = service.schedulerPid();
        if (p === old || rssMb(p) === undefined || (await service.planStatus()) !== 'COMPLETE') return false;
        apiAt ||= now() - t0;
        return service.schedulerUnixSockets(p) >= size;
      },
      60_000,
      5,
    );
    const total = now() - t0;
    const after = service.taskPids();
    if ([...pids].every(([task, p]) => after.get(task) === p && rssMb(p) !== undefined)) r.samePids++;
    else progress('live: WARNING: task pids changed across the scheduler restart');
    const backoffs = [...readFileSync(join(service.root, 'supervisor.log'), 'utf8').matchAll(/restarting in (\d+) ms/g)].map((m) => Number(m[1]));
    const backoff = backoffs[backoffs.length - 1] ?? 0;
    r.total.push(total);
    r.own.push(total - backoff);
    r.api.push(apiAt);
    r.backoff.push(backoff);
  }
  return r;
}

// CLI cold start: `svc --version`, and the read commands against a running hello-world, beside
// `node -e 0`: wall time, and CPU time (user+sys) paired and interleaved with the floor, which
// holds on a loaded machine where wall time does not. The target: every read command within 1.25×
// the floor's CPU time. The hello-world scheduler also gives the scheduler's idle RSS.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Floors } from './floors.js';
import { figure, floorOf, progress, rssMb, runOk, sleep, spawnSamples, type Figure } from './measure.js';
import { installAndWait, ROOT, SVC, TempHome } from './service.js';

/** The read commands whose CPU time is held to 1.25× node's. */
const READS: ReadonlyArray<readonly string[]> = [['--version'], ['plan', 'show', 'deploy'], ['pod', 'status'], ['plan', 'list'], ['endpoints'], ['task', 'list'], ['describe'], ['services']];
const CPU_TARGET = 1.25;

export async function cliFigures(quick: boolean, floors: Floors): Promise<Figure[]> {
  const n = quick ? 10 : 30;
  const node = await floors.nodeSpawn();
  progress('cli: svc --version');
  const version = await spawnSamples(n, SVC, ['--version']);

  const home = new TempHome();
  try {
    progress('cli: installing examples/hello-world');
    const { service } = await installAndWait(home, 'hello-world', readFileSync(join(ROOT, 'examples/hello-world/svc.yml'), 'utf8'));
    progress('cli: svc plan show deploy');
    const show = await spawnSamples(n, SVC, ['plan', 'show', 'deploy'], home.env);
    progress('cli: CPU time of the read commands, interleaved with node -e 0');
    const cpu = await cpuFigures(quick ? 15 : 40, home.env);
    await sleep(1000);
    const idle = rssMb(service.schedulerPid()) ?? NaN;
    return [
      figure('CLI cold start: svc --version', 'ms', version, node, { max: 100 }),
      figure('CLI cold start: svc plan show deploy (hello-world running)', 'ms', show, node, { max: 200 }),
      ...cpu,
      figure('scheduler RSS idle (hello-world, 2 tasks running)', 'MB', [idle], await floors.nodeRss()),
    ];
  } finally {
    await home.cleanup();
  }
}

/**
 * CPU time (user+sys, ms) of each read command, and of `node -e 0` run just before each of its runs,
 * so that both see the same load. A --require hook writes process.cpuUsage() at exit (the same hook
 * runs in the floor): it counts everything up to the exit, not the teardown after it.
 */
async function cpuFigures(n: number, env: NodeJS.ProcessEnv): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'svc-bench-cpu-'));
  try {
    const hook = join(dir, 'cpu-at-exit.cjs');
    const out = join(dir, 'cpu');
    writeFileSync(hook, `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(${JSON.stringify(out)}, String((u.user + u.system) / 1000)); });\n`);
    const withHook: NodeJS.ProcessEnv = { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --require ${hook}`.trim() };
    const cpuOf = async (cmd: string, args: readonly string[]): Promise<number> => {
      rmSync(out, { force: true });
      await runOk(cmd, args, withHook);
      return Number(readFileSync(out, 'utf8'));
    };
    const figures: Figure[] = [];
    for (const args of READS) {
      await cpuOf(SVC, ['plan', 'show', 'deploy']); // warm: the lean path writes its code cache after its first read
      const floor: number[] = [];
      const svc: number[] = [];
      for (let i = 0; i < n; i++) {
        floor.push(await cpuOf(process.execPath, ['-e', '0']));
        svc.push(await cpuOf(SVC, args));
      }
      const f = floorOf('CPU time of `node -e 0` (paired)', floor);
      figures.push(figure(`CLI cold start CPU time: svc ${args.join(' ')}`, 'ms', svc, f, { max: Math.round(f.median * CPU_TARGET * 10) / 10 }, `target: ${CPU_TARGET}× the floor`));
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

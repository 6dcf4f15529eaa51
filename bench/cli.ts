// CLI cold start: `svc --version`, and `svc plan show deploy` against a running hello-world, beside
// `node -e 0`. The hello-world scheduler also gives the scheduler's idle RSS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Floors } from './floors.js';
import { figure, progress, rssMb, sleep, spawnSamples, type Figure } from './measure.js';
import { installAndWait, ROOT, SVC, TempHome } from './service.js';

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
    await sleep(1000);
    const idle = rssMb(service.schedulerPid()) ?? NaN;
    return [
      figure('CLI cold start: svc --version', 'ms', version, node, { max: 100 }),
      figure('CLI cold start: svc plan show deploy (hello-world running)', 'ms', show, node, { max: 200 }),
      figure('scheduler RSS idle (hello-world, 2 tasks running)', 'MB', [idle], await floors.nodeRss()),
    ];
  } finally {
    await home.cleanup();
  }
}

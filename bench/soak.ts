// `npm run bench -- --soak [minutes]` (default 10; not part of the default run): a 10-pod service
// polled by 20 API clients while one of its pods is restarted every 10 s, and the scheduler's RSS
// and executor hosts' RSS sampled every 5 s. Reports each RSS after warm-up (the first third
// dropped) and its slope per minute, and the polls' count, errors and p99.
import { figure, now, progress, rssMb, sleep, type Figure } from './measure.js';
import { httpGet, installAndWait, podsSpec, TempHome } from './service.js';

export async function soakFigures(minutes: number): Promise<Figure[]> {
  const home = new TempHome();
  try {
    progress(`soak: ${minutes} min, 10 pods, 20 clients, a pod restart every 10 s`);
    const { service } = await installAndWait(home, 'soak', podsSpec('soak', 10, 'parallel'));
    const url = service.url();
    const token = service.token();
    const pid = service.schedulerPid();
    const end = Date.now() + minutes * 60_000;
    const latencies: number[] = [];
    const rss = { scheduler: [] as Sample[], hosts: [] as Sample[] };
    let errors = 0;
    const sampler = setInterval(() => {
      const t = Date.now();
      rss.scheduler.push({ t, mb: rssMb(pid) ?? 0 });
      rss.hosts.push({ t, mb: service.executorHosts().reduce((sum, h) => sum + (rssMb(h.pid) ?? 0), 0) });
    }, 5000);
    const restarter = setInterval(() => void home.svc(['pod', 'restart', `p-${Math.floor(Math.random() * 10)}`]).catch(() => errors++), 10_000);
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (Date.now() < end) {
          const t0 = now();
          const r = await httpGet(`${url}/v1/plans/deploy`, token).catch(() => undefined);
          if (!r || r.status >= 500) errors++;
          else latencies.push(now() - t0);
          await sleep(20);
        }
      }),
    );
    clearInterval(sampler);
    clearInterval(restarter);
    const scheduler = afterWarmUp(rss.scheduler);
    const hosts = afterWarmUp(rss.hosts);
    const note = `${latencies.length} polls, ${errors} errors; after warm-up, scheduler RSS ${scheduler.range}, executor hosts' RSS (all 3 together) ${hosts.range}`;
    progress(`soak: ${note}`);
    return [
      figure('soak: API poll latency under load with pod restarts', 'ms', latencies, null, undefined, note),
      figure('soak: scheduler RSS after warm-up', 'MB', scheduler.mb, null, { max: 100 }, note),
      figure("soak: executor hosts' RSS after warm-up (all agents together)", 'MB', hosts.mb, null, undefined, note),
    ];
  } finally {
    await home.cleanup();
  }
}

interface Sample {
  readonly t: number;
  readonly mb: number;
}

/** The samples after warm-up (the first third dropped), their range and slope per minute. */
function afterWarmUp(samples: readonly Sample[]): { mb: number[]; range: string } {
  const warm = samples.slice(Math.floor(samples.length / 3));
  const first = warm[0];
  const last = warm.at(-1);
  const slope = first && last && last.t > first.t ? (last.mb - first.mb) / ((last.t - first.t) / 60_000) : 0;
  const mb = warm.map((x) => x.mb);
  return { mb, range: `${Math.min(...mb).toFixed(1)}–${Math.max(...mb).toFixed(1)} MB, slope ${slope.toFixed(2)} MB/min` };
}

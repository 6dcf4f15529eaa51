// `npm run bench -- --soak [minutes]` (default 10; not part of the default run): a 10-pod service
// polled by 20 API clients while one of its pods is restarted every 10 s, and the scheduler's RSS
// sampled every 5 s. Reports the RSS after warm-up (the first third dropped) and its slope per
// minute, and the polls' count, errors and p99.
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
    const rss: Array<{ t: number; mb: number }> = [];
    let errors = 0;
    const sampler = setInterval(() => rss.push({ t: Date.now(), mb: rssMb(pid) ?? 0 }), 5000);
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
    const warm = rss.slice(Math.floor(rss.length / 3));
    const slope = warm.length > 1 ? ((warm.at(-1)?.mb ?? 0) - warm[0].mb) / ((((warm.at(-1)?.t ?? 0) - warm[0].t) / 60_000) || 1) : 0;
    const note = `${latencies.length} polls, ${errors} errors; RSS after warm-up ${Math.min(...warm.map((x) => x.mb)).toFixed(1)}–${Math.max(...warm.map((x) => x.mb)).toFixed(1)} MB, slope ${slope.toFixed(2)} MB/min`;
    progress(`soak: ${note}`);
    return [
      figure('soak: API poll latency under load with pod restarts', 'ms', latencies, null, undefined, note),
      figure('soak: scheduler RSS after warm-up', 'MB', warm.map((x) => x.mb), null, { max: 100 }, note),
    ];
  } finally {
    await home.cleanup();
  }
}

// Load: 20 services of 10 pods each installed at once on this machine, then 50 concurrent API
// clients (the client the CLI uses) polling plans for 60 s while one service rolls out an update.
// Every request must succeed; p99 latency and the scheduler's RSS over time are reported.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SvcClient } from '../../src/client/index.js';
import { processesUnder, recordReliability, runSvc, tempHome, waitFor } from '../e2e/helpers.js';

const SERVICES = 20;
const CLIENTS = 50;
const POLL_MS = 60_000;
const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env, 300_000);
const names = Array.from({ length: SERVICES }, (_, i) => `load-${i}`);
const specOf = (name: string) => join(t.home, `${name}.yml`);

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

describe(`${SERVICES} services × 10 pods, ${CLIENTS} clients polling for ${POLL_MS / 1000} s`, () => {
  afterAll(async () => {
    await Promise.all(names.map((n) => svc('uninstall', n, '--yes')));
    t.cleanup();
  });

  it('installs every service at once', async () => {
    const spec = readFileSync('test/fixtures/load.yml', 'utf8');
    for (const n of names) writeFileSync(specOf(n), spec.replace('name: load', `name: ${n}`));
    const results = await Promise.all(names.map((n) => svc('install', specOf(n), '--timeout', '280')));
    for (const [i, r] of results.entries()) expect([names[i], r.code, r.stderr.split('\n').at(-2)]).toEqual([names[i], 0, 'deploy COMPLETE: 10/10 steps complete']);
  }, 320_000);

  it('answers every poll during a rolling update, with the scheduler RSS flat after warm-up', async () => {
    const clients = names.map((n) => {
      const dir = join(t.home, n);
      return new SvcClient({ url: JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')).url, token: readFileSync(join(dir, 'token'), 'utf8').trim() });
    });
    const target = 'load-0';
    writeFileSync(specOf(target), readFileSync(specOf(target), 'utf8').replace('VERSION: "1"', 'VERSION: "2"'));
    expect((await svc('update', 'start', '--name', target)).code).toBe(0);
    const schedulerPid = Number(readFileSync(join(t.home, target, 'scheduler.pid'), 'utf8'));
    const updated = new SvcClient({ url: JSON.parse(readFileSync(join(t.home, target, 'api.json'), 'utf8')).url, token: readFileSync(join(t.home, target, 'token'), 'utf8').trim() });
    clients[0] = updated;

    const latencies: number[] = [];
    const errors: string[] = [];
    const rss: number[] = [];
    const end = Date.now() + POLL_MS;
    const sampler = setInterval(() => rss.push(rssMb(schedulerPid)), 1000);
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        while (Date.now() < end) {
          const client = clients[c % clients.length];
          const t0 = performance.now();
          try {
            await client.plan('deploy');
            latencies.push(performance.now() - t0);
          } catch (e) {
            errors.push(String(e));
          }
        }
      }),
    );
    clearInterval(sampler);
    await waitFor('update complete', async () => (await updated.plan('deploy')).body.status === 'COMPLETE', 60_000);
    const warm = rss.slice(Math.floor(rss.length / 3));
    const report = {
      requests: latencies.length,
      errors: errors.length,
      p50_ms: Math.round(pct(latencies, 50) * 10) / 10,
      p99_ms: Math.round(pct(latencies, 99) * 10) / 10,
      scheduler_rss_mb: { first: Math.round(rss[0]), warm_min: Math.round(Math.min(...warm)), warm_max: Math.round(Math.max(...warm)), last: Math.round(rss.at(-1) ?? 0) },
    };
    console.log(`load: ${JSON.stringify(report)}`);
    expect(errors).toEqual([]);
    expect(latencies.length).toBeGreaterThan(1000);
    expect(Math.max(...warm) - Math.min(...warm)).toBeLessThan(40); // no steady growth while serving
    recordReliability({ area: 'load', what: `${CLIENTS} API clients polling plans of ${SERVICES} services (10 pods each) for ${POLL_MS / 1000} s during a rolling update`, runs: report.requests, result: `0 errors; p50 ${report.p50_ms} ms, p99 ${report.p99_ms} ms; scheduler RSS ${report.scheduler_rss_mb.first} → ${report.scheduler_rss_mb.last} MB` });
  }, 180_000);

  it('uninstalls all twenty, leaving nothing', async () => {
    const results = await Promise.all(names.map((n) => svc('uninstall', n, '--yes')));
    expect(results.map((r) => r.code)).toEqual(names.map(() => 0));
    expect(processesUnder(t.home)).toEqual([]);
  }, 120_000);
});

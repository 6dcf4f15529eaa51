// API latency: GET /v1/plans/deploy and GET /v1/pod/status against a real Scheduler + ApiServer
// holding 10 / 100 / 1,000 one-task pods over the no-op engine, beside a raw node:http GET of a
// trivial node:http server. Also the scheduler's RSS with 1,000 tasks, from a child process.
import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startInProcess } from './in-process.js';
import type { Floors } from './floors.js';
import { curve, figure, floorOf, progress, sample, sleep, stats, type Curve, type Figure } from './measure.js';
import { SCHEDULER_NODE_FLAGS } from '../src/launcher/supervisor.js';

/** A GET over one kept-alive connection, resolving when the whole body is in. */
function getter(url: string, token?: string): () => Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const headers = token ? { authorization: `token=${token}` } : {};
  return () =>
    new Promise((resolve, reject) => {
      const req = request(url, { agent, headers }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`GET ${url}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
}

export async function apiFigures(quick: boolean, floors: Floors): Promise<{ figures: Figure[]; curves: Curve[] }> {
  const n = quick ? 30 : 200;
  const warm = quick ? 5 : 20;

  progress('floor: raw node:http GET of a trivial node:http server');
  const trivial = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => trivial.listen(0, '127.0.0.1', r));
  const floor = floorOf('raw node:http GET of a trivial node:http server', await sample(n, getter(`http://127.0.0.1:${(trivial.address() as AddressInfo).port}/`), warm));
  trivial.close();

  const plan = new Map<number, number[]>();
  const pods = new Map<number, number[]>();
  const deploy: Array<{ size: number; median: number }> = [];
  const bytes = new Map<number, number>();
  for (const size of [10, 100, 1000]) {
    progress(`api: in-process scheduler with ${size} one-task pods (no-op engine)`);
    const s = await startInProcess(size);
    deploy.push({ size, median: s.deployMs });
    bytes.set(size, await getter(`${s.url}/v1/plans/deploy`, s.token)());
    plan.set(size, await sample(n, getter(`${s.url}/v1/plans/deploy`, s.token), warm));
    pods.set(size, await sample(n, getter(`${s.url}/v1/pod/status`, s.token), warm));
    await s.close();
  }
  // the core's scaling past 1,000 pods: deploy only, no API samples
  progress('api: in-process scheduler deploying 10,000 one-task pods (no-op engine)');
  const big = await startInProcess(10_000);
  deploy.push({ size: 10_000, median: big.deployMs });
  await big.close();
  const get = (m: Map<number, number[]>, size: number) => m.get(size) as number[];
  const kb = (size: number) => `${Math.round((bytes.get(size) ?? 0) / 1024)} KB of plan JSON`;

  progress('memory: scheduler RSS with 1 and 1,000 tasks (child process, no-op engine)');
  const rss1 = await childRss(1);
  const rss1000 = await childRss(1000);
  const nodeRss = await floors.nodeRss();

  const figures = [
    figure('API GET /v1/plans/deploy, 10 steps', 'ms', get(plan, 10), floor, undefined, kb(10)),
    figure('API GET /v1/plans/deploy, 1,000 steps', 'ms', get(plan, 1000), floor, { max: 20 }, kb(1000)),
    figure('API GET /v1/pod/status, 1,000 tasks', 'ms', get(pods, 1000), floor),
    figure('scheduler RSS with 1,000 tasks in state (in-process, no-op engine)', 'MB', [rss1000.rssMb], nodeRss, { max: 100 }, rssNote(rss1, rss1000)),
  ];
  const curves = [
    curve('API GET /v1/plans/deploy by steps', 'ms', [10, 100, 1000].map((size) => ({ size, median: stats(get(plan, size)).median }))),
    curve('API GET /v1/pod/status by tasks', 'ms', [10, 100, 1000].map((size) => ({ size, median: stats(get(pods, size)).median }))),
    curve('scheduler core: deploy with the no-op engine, by pods (one run each)', 'ms', deploy.map((p) => ({ size: p.size, median: Number(p.median.toFixed(1)) }))),
  ];
  return { figures, curves };
}

interface ChildRss {
  /** After 1 s idle, as the process would be left. */
  readonly rssMb: number;
  /** After a forced full GC: what is live. */
  readonly afterGc: { readonly rssMb: number; readonly heapUsedMb: number };
}

/** Memory of a child process running the in-process scheduler with `count` pods deployed. */
function childRss(count: number): Promise<ChildRss> {
  return new Promise((resolve, reject) => {
    // the same V8 flags the supervisor gives a real scheduler process
    const child = spawn(process.execPath, ['--expose-gc', ...SCHEDULER_NODE_FLAGS, process.argv[1], '--child-rss', String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`--child-rss ${count} exited ${code}`));
      resolve(JSON.parse(out) as ChildRss);
    });
  });
}

function rssNote(one: ChildRss, many: ChildRss): string {
  const perTask = (a: number, b: number) => (((b - a) * 1024) / 999).toFixed(1);
  return (
    `a process deploying 1,000 pods with the real Scheduler and ApiServer over the no-op engine, 1 s after the deploy and a few API calls; ` +
    `with 1 task it holds ${one.rssMb} MB (${perTask(one.rssMb, many.rssMb)} KB per extra task); ` +
    `after a forced GC: ${many.afterGc.rssMb} MB RSS, ${many.afterGc.heapUsedMb} MB heap used (1 task: ${one.afterGc.rssMb} MB, ${one.afterGc.heapUsedMb} MB heap, so ${perTask(one.afterGc.heapUsedMb, many.afterGc.heapUsedMb)} KB of live heap per task)`
  );
}

/** The child side of childRss: deploy, serve a few API calls, idle, report RSS. */
export async function childRssMain(count: number): Promise<void> {
  const s = await startInProcess(count);
  for (const path of ['/v1/plans/deploy', '/v1/pod/status']) await sample(5, getter(`${s.url}${path}`, s.token), 0);
  await sleep(1000);
  const mb = (n: number) => Number((n / 2 ** 20).toFixed(1));
  const rssMb = mb(process.memoryUsage().rss);
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(JSON.stringify({ rssMb, afterGc: { rssMb: mb(rss), heapUsedMb: mb(heapUsed) } }) + '\n');
  await s.close();
}

// The HTTP client choice (src/client/client.ts speaks node:http, not undici): what each costs a CLI
// command, against the same local server answering a plan's JSON.
// - cold: in a fresh node process, loading the client and completing the first GET (what every
//   `svc` command pays once), measured inside the child so node's own start is left out;
// - warm: one GET after many, in this process (what `--watch` and waits pay per poll).
// undici is not a dependency; when it is not installed (or does not load on this node) its figures
// say so. Node's global fetch is
// undici bundled into node (a different build from the package), measured beside it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SvcClient } from '../src/client/index.js';
import { figure, progress, runOk, sample, stats, type Figure } from './measure.js';
import { ROOT } from './service.js';

const PLAN = JSON.stringify({
  phases: [{ id: 'p', name: 'hello', strategy: 'serial', status: 'COMPLETE', steps: [0, 1, 2].map((i) => ({ id: `s${i}`, name: `hello-${i}:[server]`, status: 'COMPLETE', message: '' })) }],
  strategy: 'serial',
  errors: [],
  status: 'COMPLETE',
});

/** Each child prints the ms from before loading its client to the end of its first GET of $URL. */
const COLD: Record<string, string> = {
  'node:http': `const t=performance.now();const{request}=await import('node:http');await new Promise((ok,ko)=>request(process.env.URL,(r)=>{r.resume();r.on('end',ok)}).on('error',ko).end());console.log(performance.now()-t)`,
  'global fetch (undici inside node)': `const t=performance.now();const r=await fetch(process.env.URL);await r.text();console.log(performance.now()-t)`,
  'undici (package)': `const t=performance.now();const{request}=await import('undici');const r=await request(process.env.URL);await r.body.text();console.log(performance.now()-t)`,
};

/** Whether the undici package loads here; if not, why (absent, or a version for a newer node). */
export async function undiciStatus(): Promise<{ ok: true } | { ok: false; why: string }> {
  const req = createRequire(join(ROOT, 'package.json'));
  let version: string;
  try {
    req.resolve('undici');
    version = (req('undici/package.json') as { version: string }).version;
  } catch {
    return { ok: false, why: 'undici is not installed (npm i -D undici@6 to measure it on node 20)' };
  }
  try {
    await runOk(process.execPath, ['--input-type=module', '-e', "await import('undici')"], process.env, 30_000);
    return { ok: true };
  } catch {
    return { ok: false, why: `undici ${version} is installed but does not load on node ${process.version} (a transitive dependency for a newer node; npm i -D undici@6 to measure it)` };
  }
}

/** A figure that could not be measured, with why (JSON shows null medians). */
function notMeasured(name: string, note: string): Figure {
  return { name, unit: 'ms', samples: 0, min: NaN, median: NaN, p95: NaN, floor: null, ratio: null, target: null, result: null, note };
}

export async function clientFigures(quick: boolean): Promise<Figure[]> {
  const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(PLAN));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/plans/deploy`;
  const undici = await undiciStatus();
  const hasUndici = undici.ok;
  const NOT_INSTALLED = undici.ok ? '' : undici.why;
  const figures: Figure[] = [];
  try {
    const n = quick ? 10 : 30;
    let httpCold = NaN;
    for (const [name, code] of Object.entries(COLD)) {
      const title = `HTTP client cold: load + first GET, ${name}`;
      if (name.startsWith('undici') && !hasUndici) {
        figures.push(notMeasured(title, NOT_INSTALLED));
        continue;
      }
      progress(`client: ${title}`);
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const r = await runOk(process.execPath, ['--no-warnings', '--input-type=module', '-e', code], { ...process.env, URL: url }, 30_000);
        xs.push(Number(r.stdout.trim()));
      }
      if (name === 'node:http') httpCold = stats(xs).median;
      figures.push(figure(title, 'ms', xs, name === 'node:http' ? null : { name: 'node:http', median: httpCold }));
    }

    const gets = quick ? 200 : 1000;
    const client = new SvcClient({ url: url.replace('/v1/plans/deploy', '') });
    progress(`client: ${gets} GETs each`);
    const warm: Array<[string, () => Promise<unknown>]> = [
      ['node:http (SvcClient)', () => client.plan('deploy')],
      ['global fetch (undici inside node)', async () => (await fetch(url)).json()],
    ];
    if (hasUndici) {
      const { request } = (await import('undici' as string)) as { request: (u: string) => Promise<{ body: { json(): Promise<unknown> } }> };
      warm.push(['undici (package)', async () => (await request(url)).body.json()]);
    }
    let httpWarm = NaN;
    for (const [name, get] of warm) {
      const xs = await sample(gets, get, 20);
      if (name.startsWith('node:http')) httpWarm = stats(xs).median;
      figures.push(figure(`HTTP client warm: one GET of a plan, ${name}`, 'ms', xs, name.startsWith('node:http') ? null : { name: 'node:http', median: httpWarm }));
    }
    if (!hasUndici) figures.push(notMeasured('HTTP client warm: one GET of a plan, undici (package)', NOT_INSTALLED));
    return figures;
  } finally {
    await new Promise((r) => server.close(r));
  }
}

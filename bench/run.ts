// `npm run bench [-- --quick] [-- --only cli,client,api,spec,live,containers] [-- --soak minutes]`: runs the benchmarks one after the
// other and prints one JSON document on stdout (also bench/results/latest.json, and a markdown table
// in bench/results/latest.md). Progress goes to stderr. Exits 0 even when a target is missed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { apiFigures, childRssMain } from './api.js';
import { cliFigures } from './cli.js';
import { clientFigures } from './client.js';
import { containerFigures } from './containers.js';
import { liveFigures } from './deploy.js';
import { Floors } from './floors.js';
import { now, progress, type Curve, type Figure } from './measure.js';
import { ROOT, sweepAllHomes } from './service.js';
import { soakFigures } from './soak.js';
import { specFigures } from './spec.js';

type Group = (quick: boolean, floors: Floors) => Promise<{ figures: Figure[]; curves?: Curve[] } | Figure[]>;

const GROUPS: Record<string, Group> = {
  cli: cliFigures,
  client: (quick) => clientFigures(quick),
  api: apiFigures,
  spec: (quick) => specFigures(quick),
  live: liveFigures,
  containers: containerFigures,
};

async function main(args: string[]): Promise<void> {
  if (args[0] === '--child-rss') return childRssMain(Number(args[1]));
  const quick = args.includes('--quick');
  const onlyAt = args.indexOf('--only');
  // the soak (10 minutes by default) runs only when asked for, and alone
  const soakAt = args.indexOf('--soak');
  const soakMinutes = soakAt >= 0 ? Number(args[soakAt + 1]) || 10 : 0;
  const groups: Record<string, Group> = soakMinutes ? { soak: () => soakFigures(soakMinutes) } : GROUPS;
  const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : Object.keys(groups);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      progress(`${sig}: removing every service the bench started`);
      sweepAllHomes();
      process.exit(130);
    });
  }

  const t0 = now();
  const floors = new Floors(quick);
  const figures: Figure[] = [];
  const scaling: Curve[] = [];
  const errors: Array<{ group: string; error: string }> = [];
  for (const name of only) {
    const group = groups[name];
    if (!group) throw new Error(`unknown group ${name}; groups: ${Object.keys(groups).join(', ')}`);
    progress(`== ${name}`);
    try {
      const out = await group(quick, floors);
      figures.push(...(Array.isArray(out) ? out : out.figures));
      if (!Array.isArray(out)) scaling.push(...(out.curves ?? []));
    } catch (e) {
      progress(`${name} failed: ${(e as Error).stack ?? e}`);
      errors.push({ group: name, error: (e as Error).message });
    } finally {
      sweepAllHomes();
    }
  }

  const doc = {
    bench: 'svc',
    version: (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memGiB: Math.round(totalmem() / 2 ** 30) },
    wallSeconds: Number(((now() - t0) / 1000).toFixed(1)),
    summary: { pass: figures.filter((f) => f.result === 'PASS').length, miss: figures.filter((f) => f.result === 'MISS').length },
    figures,
    scaling,
    errors,
  };
  const json = JSON.stringify(doc, null, 2) + '\n';
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), json);
  const md = markdown(figures, scaling);
  writeFileSync(join(dir, 'latest.md'), md);
  process.stderr.write(`\n${md}\n`);
  progress(`done in ${doc.wallSeconds} s: ${doc.summary.pass} PASS, ${doc.summary.miss} MISS${errors.length ? `, ${errors.length} group(s) failed` : ''}; bench/results/latest.json`);
  process.stdout.write(json);
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

export function markdown(figures: readonly Figure[], curves: readonly Curve[]): string {
  const rows = figures.map((f) =>
    [f.name, f.unit, String(f.samples), fmt(f.median), fmt(f.p95), f.floor ? `${fmt(f.floor.median)} (${f.floor.name})` : '', f.ratio === null ? '' : `${fmt(f.ratio)}×`, f.target ?? '', f.result ?? ''].join(' | '),
  );
  const curveRows = curves.map((c) => [c.name, c.unit, c.points.map((p) => `${p.size}: ${fmt(p.median)}`).join(', '), String(c.exponent ?? ''), String(c.lastSegmentExponent ?? '')].join(' | '));
  return [
    '| figure | unit | n | median | p95 | floor | ratio | target | result |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r} |`),
    '',
    '| scaling curve | unit | size: median | exponent (fit) | exponent (last two sizes) |',
    '| --- | --- | --- | --- | --- |',
    ...curveRows.map((r) => `| ${r} |`),
    '',
  ].join('\n');
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: Error) => {
    progress(`bench failed: ${e.stack ?? e.message}`);
    sweepAllHomes();
    process.exit(0);
  },
);

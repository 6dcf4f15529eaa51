// `svc install --agents-file`: agents described one by one (zones, attributes, resources), so that
// placement rules on them decide where pod instances go; mistakes in the file are named.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSvc, tempHome } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
const file = (name: string, content: unknown) => {
  const path = join(t.home, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const spec = file(
  'racked.yml',
  `name: racked
pods:
  web:
    count: 2
    placement: '[["rack", "LIKE", "rack:r2"]]'
    tasks:
      server:
        goal: RUNNING
        cmd: exec sleep 1000
        cpus: 0.1
        memory: 16
`,
);

describe('agents described in a file', () => {
  afterAll(async () => {
    await svc('uninstall', 'racked', '--yes');
    t.cleanup();
  });

  it('places pod instances by the attributes the file gives', async () => {
    const agents = file('agents.json', [{ attributes: { rack: 'r1' } }, { zone: 'east', attributes: { rack: 'r2' }, cpus: 1 }, { region: 'far' }]);
    expect((await svc('install', spec, '--agents-file', agents)).code).toBe(0);
    const reservations = JSON.parse((await svc('debug', 'reservations')).stdout) as Record<string, string[]>;
    expect(Object.keys(reservations)).toEqual(['agent-2.local']);
    expect(reservations['agent-2.local']).toHaveLength(2);
    const made = JSON.parse(readFileSync(join(t.home, 'racked', 'agents.json'), 'utf8')) as Array<{ zone: string; region: string; attributes?: object; resources: { cpus: number } }>;
    expect(made.map((a) => [a.zone, a.region, a.attributes, a.resources.cpus])).toEqual([
      ['zone-1', 'local', { rack: 'r1' }, 4],
      ['east', 'local', { rack: 'r2' }, 1],
      ['zone-3', 'far', undefined, 4],
    ]);
  });

  it('names each mistake in the file, and refuses --agents that contradicts it', async () => {
    const bad = file('bad.json', [{ zone: '', attributes: { rack: 1 } }, { cpus: -1, colour: 'red' }]);
    const r = await svc('install', spec, '--agents-file', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[0].zone: expected a non-empty string');
    expect(r.stderr).toContain('[0].attributes.rack: expected a string');
    expect(r.stderr).toContain('[1].colour: unknown field');
    expect(r.stderr).toContain('[1].cpus: expected a positive number');
    const two = file('two.json', [{}, {}]);
    const c = await svc('install', spec, '--agents', '3', '--agents-file', two);
    expect([c.code, c.stderr.trim()]).toEqual([2, `svc: --agents 3 conflicts with --agents-file ${two}, which describes 2 agent(s)`]);
    expect((await svc('install', spec, '--agents-file', file('empty.json', '[]'))).code).toBe(2);
  });
});

// svc install --engine: the engine is chosen at install; one that is unknown is refused by name
// before anything is created (the Kubernetes flags: test/kubernetes/install-flags.test.ts).
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDeps } from '../../src/cli/deps.js';
import { testIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { ROOT } from '../e2e/helpers.js';

const home = mkdtempSync(join(tmpdir(), 'svc-engine-opt-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function svc(args: string[]) {
  const io = testIo();
  const code = await main(['node', 'svc', ...args], makeDeps(io, { SVC_HOME: home }));
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('svc install --engine', () => {
  it('an unknown engine is a usage error naming the kinds', async () => {
    const r = await svc(['install', join(ROOT, 'examples/hello-world'), '--engine', '../../x', '--no-wait']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'svc: --engine ../../x: unknown engine; expected one of: local, kubernetes\n' });
    expect(readdirSync(home)).toEqual([]);
  });
});

// svc task exec/log for a service installed here on the local engine: the CLI reaches the task
// through the engine's own files, with no scheduler and no API involved (none runs here), and an
// unknown task is answered with the tasks there are.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeps } from '../../src/cli/deps.js';
import { testIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writeTaskFile } from '../../src/engine/local/task-files.js';

const home = mkdtempSync(join(tmpdir(), 'svc-task-local-'));
const service = join(home, 'svc-x');
const executorDir = join(service, 'agents/agent-1/executors/p-0');
const sandbox = join(executorDir, 'sandboxes/p-0-t');

beforeAll(() => {
  mkdirSync(sandbox, { recursive: true });
  writeFileSync(join(service, 'service.json'), JSON.stringify({ name: 'svc-x', engine: 'local', source: { kind: 'spec', path: '/nowhere' }, installedAt: '' }));
  writeFileSync(join(sandbox, 'stdout'), 'one\ntwo\n');
  writeTaskFile(executorDir, { name: 'p-0-t', taskId: 'svc-x__p-0-t__1', cwd: sandbox, env: { TASK_NAME: 'p-0-t', PATH: process.env.PATH ?? '/bin' }, launchedAt: 1 });
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function svc(args: string[]) {
  const io = testIo();
  const code = await main(['node', 'svc', ...args], makeDeps(io, { SVC_HOME: home, PATH: process.env.PATH }));
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('task exec and log on this machine (no scheduler running)', () => {
  it("exec runs in the task's sandbox with the env the engine recorded, exit status passed", async () => {
    expect(await svc(['task', 'exec', 'p-0-t', 'sh', '-c', 'echo $TASK_NAME; pwd; echo e >&2; exit 4'])).toEqual({ code: 4, stdout: `p-0-t\n${sandbox}\n`, stderr: 'e\n' });
  });

  it('log reads the sandbox through the engine', async () => {
    expect(await svc(['task', 'log', 'p-0-t', '--lines', '1'])).toEqual({ code: 0, stdout: 'two\n', stderr: '' });
    expect((await svc(['task', 'log', 'p-0-t', '--stderr'])).stderr).toContain('p-0-t has no stderr yet');
  });

  it('an unknown task is answered with the tasks there are', async () => {
    expect(await svc(['task', 'exec', 'nope', 'true'])).toEqual({ code: 1, stdout: '', stderr: 'svc: task "nope" not found; tasks: p-0-t\n' });
    expect((await svc(['task', 'log', '../../token'])).stderr).toBe('svc: task "../../token" not found; tasks: p-0-t\n');
  });
});

// svc as root with scheduler.user nobody: the 0400 secret files delivered into a sandbox belong to
// nobody (the task reads them, no one else can), in the volume when their path is under it, and `svc task exec` runs as nobody, on this machine
// and through the API, so an operator's command gets no more than the task has.
import { lstatSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mainProcess, runSvc, tempHome, waitFor } from './helpers.js';

const root = process.getuid?.() === 0;
const NOBODY = 65534;
const SECRET = 'nobody-reads-this-3c9e';

describe.runIf(root)('files and exec of a task that runs as nobody', () => {
  const t = tempHome();
  const keyDir = mkdtempSync(join(tmpdir(), 'svc-key-'));
  const env = { ...t.env, SVC_SECRET_KEY_FILE: join(keyDir, 'secret.key') };
  const svc = (...args: string[]) => runSvc(args, env);
  afterAll(async () => {
    await svc('uninstall', 'owned', '--yes');
    t.cleanup();
    rmSync(keyDir, { recursive: true, force: true });
  });
  const spec =
    'name: owned\nscheduler:\n  user: nobody\npods:\n  p:\n    count: 1\n    volume: { path: data, type: ROOT, size: 16 }\n' +
    '    secrets:\n      s:\n        secret: owned/s\n        file: secrets/s.txt\n      v:\n        secret: owned/s\n        file: data/in-volume.txt\n' +
    '    tasks:\n      s:\n        goal: RUNNING\n        cpus: 0.1\n        memory: 16\n        cmd: cat secrets/s.txt data/in-volume.txt > read-by-task && exec sleep 1000\n';

  it('the secret file is the task user’s, read-only, and the task reads it', async () => {
    expect((await svc('secret', 'create', 'owned/s', '--value', SECRET)).code).toBe(0);
    writeFileSync(join(t.home, 'owned.yml'), spec);
    const r = await svc('install', join(t.home, 'owned.yml'));
    expect(r.code, r.stderr).toBe(0);
    const task = await waitFor('the task', () => mainProcess(t.home, 'p-0-s'));
    const sandbox = task.env.MESOS_SANDBOX;
    expect(lstatSync(join(sandbox, 'data')).isSymbolicLink()).toBe(true); // the volume, not a folder the secret made
    for (const file of ['secrets/s.txt', 'data/in-volume.txt']) {
      const st = statSync(join(sandbox, file));
      expect([file, st.uid, (st.mode & 0o777).toString(8)]).toEqual([file, NOBODY, '400']);
    }
    expect((await svc('task', 'exec', 'p-0-s', 'cat', 'read-by-task')).stdout).toBe(SECRET + SECRET);
  });

  it('svc task exec on this machine runs as the task’s user', async () => {
    const r = await svc('task', 'exec', 'p-0-s', 'sh', '-c', 'id -u; id -g; id -G; touch data/by-exec; cat /proc/self/status | grep -c "^CapEff:\\s*0*$"');
    const [uid, gid, groups, noCaps] = r.stdout.split('\n');
    expect([r.code, uid, noCaps]).toEqual([0, String(NOBODY), '1']); // nobody, without capabilities
    expect(gid).not.toBe('0');
    expect(groups.split(' ')).not.toContain('0'); // root's groups dropped
    const task = await waitFor('the task', () => mainProcess(t.home, 'p-0-s'));
    expect(statSync(join(task.env.MESOS_SANDBOX, 'data', 'by-exec')).uid).toBe(NOBODY);
    // and it cannot do what only root could
    expect((await svc('task', 'exec', 'p-0-s', 'cat', '/etc/shadow')).code).not.toBe(0);
  });

  it('svc task exec through the API runs as the task’s user', async () => {
    const { url } = JSON.parse(readFileSync(join(t.home, 'owned', 'api.json'), 'utf8')) as { url: string };
    const token = readFileSync(join(t.home, 'owned', 'token'), 'utf8').trim();
    const r = await runSvc(['--url', url, '--token', token, 'task', 'exec', 'p-0-s', 'id', '-u'], { ...env, SVC_HOME: '/nonexistent' });
    expect([r.code, r.stdout]).toEqual([0, `${NOBODY}\n`]);
  });
});

// Operator actions on hello-world's pods, checked on the real processes and volumes:
// restart (in place), replace (fresh resources), pause/resume, task exec and log.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainProcess, runSvc, tempHome, waitFor, type Proc } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);

const mainProc = (task: string): Proc | undefined => mainProcess(t.home, task);
const output = (p: Proc) => readFileSync(join(p.env.MESOS_SANDBOX, 'hello-container-path/output'), 'utf8');
const podStatus = async () => (await svc('pod', 'status', 'hello-0')).stdout;

describe('pod operations on hello-world', () => {
  beforeAll(async () => {
    expect((await svc('install', 'examples/hello-world')).code).toBe(0);
  });
  afterAll(async () => {
    await svc('uninstall', 'hello-world', '--yes');
    t.cleanup();
  });

  it('restart relaunches in place: same agent, same volume, new process', async () => {
    const before = mainProc('hello-0-server') as Proc;
    const r = await svc('pod', 'restart', 'hello-0');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ pod: 'hello-0', tasks: ['hello-0-server'] });
    const after = await waitFor('relaunch', () => {
      const p = mainProc('hello-0-server');
      return p && p.pid !== before.pid && p.cmdline.startsWith('sleep') && p;
    });
    expect(after.env.MESOS_CONTAINER_IP).toBe(before.env.MESOS_CONTAINER_IP);
    await waitFor('second line on the same volume', () => output(after) === 'hello\nhello\n');
  });

  it('replace destroys the volume and reservation and launches elsewhere', async () => {
    const before = mainProc('hello-1-server') as Proc;
    const reservationsBefore = JSON.parse(readFileSync(join(t.home, 'hello-world/reservations.json'), 'utf8'));
    const r = await svc('pod', 'replace', 'hello-1', '--yes');
    expect(r.code).toBe(0);
    const after = await waitFor('replacement', () => {
      const p = mainProc('hello-1-server');
      return p && p.pid !== before.pid && p.cmdline.startsWith('sleep') && p;
    });
    expect(after.env.MESOS_CONTAINER_IP).not.toBe(before.env.MESOS_CONTAINER_IP);
    expect(output(after)).toBe('hello\n');
    const reservationsAfter = JSON.parse(readFileSync(join(t.home, 'hello-world/reservations.json'), 'utf8'));
    expect(reservationsAfter).toHaveLength(2);
    const oldIds = reservationsBefore.map((x: { id: string }) => x.id);
    expect(reservationsAfter.filter((x: { id: string }) => !oldIds.includes(x.id))).toHaveLength(1);
  });

  it('replace without --yes off a terminal is refused', async () => {
    const r = await svc('pod', 'replace', 'hello-0');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('without --yes');
  });

  it('pause relaunches the task sleeping (the original pause command), resume brings its command back', async () => {
    const r = await svc('pod', 'pause', 'hello-0', '-t', 'server');
    expect(JSON.parse(r.stdout)).toEqual({ pod: 'hello-0', tasks: ['hello-0-server'] });
    await waitFor('PAUSED', async () => (await podStatus()).includes('hello-0-server (PAUSED)'));
    expect(mainProc('hello-0-server')?.cmdline).toContain('This task is PAUSED, sleeping ...');
    await svc('pod', 'resume', 'hello-0');
    await waitFor('RUNNING again', async () => (await podStatus()).includes('hello-0-server (RUNNING)'));
    expect(mainProc('hello-0-server')?.cmdline).toBe('sleep 1000');
  });

  it('pause of an unknown task or pod is a 404', async () => {
    expect((await svc('pod', 'pause', 'hello-0', '-t', 'nope')).stderr).toContain('hello-0 has no task "nope" (see: svc pod status hello-0)');
    expect((await svc('pod', 'restart', 'nope-7')).stderr).toContain('pod "nope-7" not found; pods: hello-0, hello-1');
  });

  it('task exec runs in the sandbox with the task env, and passes the exit status through', async () => {
    const r = await svc('task', 'exec', 'hello-0-server', 'bash', '-c', 'echo $TASK_NAME $POD_INSTANCE_INDEX; cat hello-container-path/output | wc -l; exit 7');
    expect(r.code).toBe(7);
    expect(r.stdout).toMatch(/^hello-0-server 0\n[2-9]\n$/);
  });

  it('task log prints stdout and stderr', async () => {
    // the sandbox's stdout/stderr files are the task's own output streams
    await svc('task', 'exec', 'hello-1-server', 'bash', '-c', 'echo line1 >> stdout; echo line2 >> stdout; echo oops >> stderr');
    const out = await svc('task', 'log', 'hello-1-server');
    expect(out.stdout).toBe('line1\nline2\n');
    expect((await svc('task', 'log', 'hello-1-server', '--lines', '1')).stdout).toBe('line2\n');
    expect((await svc('task', 'log', 'hello-1-server', '--stderr')).stdout).toBe('oops\n');
    const list = await svc('task', 'list');
    expect(list.stdout).toMatch(/^hello-0-server\s+RUNNING\s+hello-0\s+hello-world__hello-0-server__/m);
  });
});

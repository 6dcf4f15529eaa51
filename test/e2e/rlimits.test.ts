// rlimits on real tasks: a hard limit below the inherited soft one is applied (both are set
// together), and a limit this machine cannot grant fails the task with a message naming the limit,
// the value asked and the value allowed, in the task's status (`svc pod info`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitsAllowed } from '../../src/engine/local/rlimits.js';
import { runSvc, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const svc = (...args: string[]) => runSvc(args, t.env);
const allowed = limitsAllowed();
const inheritedSoft = Number((/^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8')) ?? [])[1]);
// one more than this machine lets svc set: its own hard limit, or fs.nr_open with CAP_SYS_RESOURCE
const unraisable = allowed.mayRaise ? allowed.nrOpen + 1 : (allowed.hard.get('RLIMIT_NOFILE') as number) + 1;

const spec = `name: rl
pods:
  low:
    count: 1
    rlimits:
      RLIMIT_NOFILE: { soft: 64, hard: 128 }
    tasks:
      server:
        goal: RUNNING
        cpus: 0.1
        memory: 16
        cmd: echo "$(ulimit -Sn) $(ulimit -Hn)" > limits && exec sleep 1000
  high:
    count: 1
    rlimits:
      RLIMIT_NOFILE: { soft: 1024, hard: ${unraisable} }
    tasks:
      server:
        goal: RUNNING
        cpus: 0.1
        memory: 16
        cmd: exec sleep 1000
plans:
  deploy:
    strategy: parallel
    phases:
      low: { strategy: parallel, pod: low }
      high: { strategy: parallel, pod: high }
`;

describe('rlimits', () => {
  beforeAll(async () => {
    writeFileSync(join(t.home, 'rl.yml'), spec);
    expect((await svc('install', join(t.home, 'rl.yml'), '--no-wait')).code).toBe(0);
  });
  afterAll(async () => {
    await svc('uninstall', 'rl', '--yes');
    t.cleanup();
  });

  it('applies a hard limit below the inherited soft one', async () => {
    expect(inheritedSoft).toBeGreaterThan(128); // else this case proves nothing here
    const limits = await waitFor('limits written', async () => (await svc('task', 'exec', 'low-0-server', 'cat', 'limits')).stdout);
    expect(limits).toBe('64 128\n');
  });

  it('fails a task whose limit cannot be granted, and its task status (svc pod info) says which limit, asked and allowed', async () => {
    const status = await waitFor('the failure in the task status', async () => {
      const out = (await svc('pod', 'info', 'high-0')).stdout;
      return out.includes('cannot be applied') && out;
    });
    const max = allowed.mayRaise ? allowed.nrOpen : allowed.hard.get('RLIMIT_NOFILE');
    expect(status).toContain(`rlimit RLIMIT_NOFILE cannot be applied: hard limit ${unraisable} asked, at most ${max} allowed`);
  });
});

// Waits in a real terminal (tmux), as an operator meets them: a deploy that cannot be placed says
// why in its progress line; Ctrl-C and Ctrl-\ stop the waiting (exit 130) and say what keeps going;
// so does plan start --wait; plan show carries the reason under the step; pod restart --wait shows
// the pod coming back.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const specs = mkdtempSync(join(tmpdir(), 'svc-waits-'));
const session = `svc-waits-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-J', '-t', session, '-S', '-200');
const type = (text: string) => tmux('send-keys', '-t', session, '-l', text);
const key = (k: string) => tmux('send-keys', '-t', session, k);
const run = (cmd: string) => {
  type(cmd);
  key('Enter');
};
const clear = () => {
  run('clear');
  tmux('clear-history', '-t', session);
};

/** One pod that runs, then one whose placement rule no agent matches: the deploy waits for ever. */
const stuckSpec = (name: string) => `name: ${name}
pods:
  ok:
    count: 1
    tasks:
      server: { goal: RUNNING, cmd: sleep 1000, cpus: 0.1, memory: 32 }
  stuck:
    count: 1
    placement: '[["hostname", "LIKE", "nowhere.*"]]'
    tasks:
      server: { goal: RUNNING, cmd: sleep 1000, cpus: 0.1, memory: 32 }
      job: { goal: ONCE, cmd: 'true', cpus: 0.1, memory: 32 }
plans:
  deploy:
    strategy: serial
    phases:
      ok: { strategy: serial, pod: ok, steps: [{ default: [[server]] }] }
      stuck: { strategy: serial, pod: stuck, steps: [{ default: [[server]] }] }
  job:
    strategy: serial
    phases:
      run: { strategy: serial, pod: stuck, steps: [{ default: [[job]] }] }
`;

describe('waits in a terminal (tmux)', () => {
  beforeAll(() => {
    writeFileSync(join(specs, 'stuck-a.yml'), stuckSpec('stuck-a'));
    writeFileSync(join(specs, 'stuck-b.yml'), stuckSpec('stuck-b'));
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', '-c', ROOT, `env -i PATH=${process.env.PATH} HOME=${t.home} SVC_HOME=${t.home} TERM=xterm PS1='$ ' bash --norc --noprofile`);
  });
  afterAll(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    for (const name of ['stuck-a', 'stuck-b']) spawnSync(process.execPath, [join(ROOT, 'bin/svc'), 'uninstall', name, '--yes'], { env: { ...process.env, SVC_HOME: t.home }, stdio: 'ignore' });
    rmSync(specs, { recursive: true, force: true });
    t.cleanup();
  });

  it('a deploy that cannot be placed says why; Ctrl-C stops the wait, exit 130, the deploy goes on', async () => {
    run(`bin/svc install ${specs}/stuck-a.yml; echo "exit=$?"`);
    await waitFor('the placement reason in the progress line', () => /stuck-0:\[server\] WAITING \(not placed: agent-\d: hostname:LIKE:nowhere\.\*: agent-\d\.local does not match; 2 more: svc debug offers\)/.test(screen()), 60_000);
    key('C-c');
    const s = await waitFor('the wait to stop', () => /exit=\d+/.test(screen()) && screen(), 10_000);
    expect(s).toContain('svc: stopped waiting; stuck-a keeps deploying (svc plan show deploy --watch)');
    expect(s).toContain('exit=130');

    clear();
    run('bin/svc --name stuck-a plan show deploy; bin/svc services; echo "exit=$?"');
    const shown = await waitFor('plan show', () => /exit=\d+/.test(screen()) && screen(), 10_000);
    expect(shown).toMatch(/stuck-0:\[server\] \((?:PREPARED|PENDING)\)\n\s+├─ not placed: agent-1: hostname:LIKE:nowhere\.\*: agent-1\.local does not match/);
    expect(shown).toMatch(/stuck-a\s+DEPLOYING/); // the scheduler goes on
  });

  it('plan start --wait: Ctrl-C stops the wait, the plan keeps running', async () => {
    clear();
    run('bin/svc --name stuck-a plan start job --wait; echo "exit=$?"');
    await waitFor('waiting for a place', () => screen().includes('run › stuck-0:[job] WAITING'), 30_000);
    key('C-c');
    const s = await waitFor('the wait to stop', () => /exit=\d+/.test(screen()) && screen(), 10_000);
    expect(s).toContain('svc: stopped waiting; plan job keeps running (svc plan show job --watch)');
    expect(s).toContain('exit=130');
  });

  it('Ctrl-\\ stops a wait too', async () => {
    clear();
    run(`bin/svc install ${specs}/stuck-b.yml; echo "exit=$?"`);
    await waitFor('waiting for a place', () => screen().includes('stuck-0:[server] WAITING'), 60_000);
    key('C-\\');
    const s = await waitFor('the wait to stop', () => /exit=\d+/.test(screen()) && screen(), 10_000);
    expect(s).toContain('svc: stopped waiting; stuck-b keeps deploying');
    expect(s).toContain('exit=130');
  });

  it('pod restart --wait follows the pod until its task runs again', async () => {
    clear();
    run('bin/svc --name stuck-a pod restart ok-0 --wait; echo "exit=$?"');
    const s = await waitFor('restart done', () => /exit=\d+/.test(screen()) && screen(), 60_000);
    expect(s).toContain('restarting ok-0 in place (ok-0-server)\n');
    expect(s).toMatch(/✔ ok-0: 1\/1 tasks back/);
    expect(s).toContain('exit=0');
  });
});

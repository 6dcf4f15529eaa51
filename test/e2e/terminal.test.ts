// Terminal interactions, driven in tmux like a person: the install spinner, an interactive shell
// through `svc task exec -it`, and the typed confirmation of `svc uninstall`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempHome, waitFor } from './helpers.js';

const t = tempHome();
const session = `svc-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', session, '-S', '-200');
const type = (text: string) => tmux('send-keys', '-t', session, '-l', text);
const enter = () => tmux('send-keys', '-t', session, 'Enter');
const run = (cmd: string) => {
  type(cmd);
  enter();
};
const clear = () => {
  run('clear');
  tmux('clear-history', '-t', session);
};

describe('in a terminal (tmux)', () => {
  beforeAll(() => {
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', '-c', ROOT, `env -i PATH=${process.env.PATH} HOME=${t.home} SVC_HOME=${t.home} TERM=xterm PS1='$ ' bash --norc --noprofile`);
  });
  afterAll(() => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // already gone
    }
    // in case a test failed half way; after a passing run there is nothing left to uninstall
    spawnSync(process.execPath, [join(ROOT, 'bin/svc'), 'uninstall', 'hello-world', '--yes'], { env: { ...process.env, SVC_HOME: t.home }, stdio: 'ignore' });
    t.cleanup();
  });

  it('install shows a spinner that ends with the completed deploy', async () => {
    run('bin/svc install examples/hello-world; echo "exit=$?"');
    const s = await waitFor('install done', () => /exit=\d+/.test(screen()) && screen(), 60_000);
    expect(s).toContain('exit=0');
    expect(s).toMatch(/✔ deploy COMPLETE: 2\/2 steps complete/);
  });

  it('task exec -it gives an interactive shell inside the task', async () => {
    clear();
    run('bin/svc task exec -it hello-0-server sh');
    await waitFor('shell prompt', () => screen().includes('bin/svc task exec'), 10_000);
    run('echo "in=$TASK_NAME:$(cat hello-container-path/output | head -1)"; tty');
    const s = await waitFor('shell answer', () => /in=hello-0-server:hello/.test(screen()) && screen(), 10_000);
    expect(s).toMatch(/\/dev\/pts\/\d+/); // a real TTY
    run('exit 3');
    run('echo "exec-exit=$?"');
    await waitFor('exit status', () => screen().includes('exec-exit=3'), 10_000);
  });

  it('task exec -it passes TERM, and the command sees the terminal\'s size', async () => {
    clear();
    run('bin/svc task exec -it hello-0-server sh');
    await waitFor('shell prompt', () => screen().includes('bin/svc task exec'), 10_000);
    run('clear; echo "clear=$? term=$TERM size=$(stty size) home=$HOME"'); // clear needs TERM
    const s = await waitFor('shell answer', () => /clear=\d+ term=/.test(screen()) && screen(), 10_000);
    expect(s).toContain('clear=0');
    expect(s).toContain('term=xterm size=50 160'); // the session's TERM and its 160x50 window
    expect(s).toMatch(/home=\/\S+\/sandboxes\/hello-0-server/);
    run('exit');
    run('echo "outer=$?"');
    await waitFor('back in the outer shell', () => screen().includes('outer=0'), 10_000);
  });

  it('pod status --watch keeps the tree on screen until Ctrl-C (exit 130)', async () => {
    clear();
    run('bin/svc pod status --watch');
    await waitFor('the tree', () => screen().includes('hello-1-server'), 10_000);
    tmux('send-keys', '-t', session, 'C-c');
    run('echo "exit=$?"'); // bash drops the rest of a line whose command died of SIGINT
    const s = await waitFor('stopped', () => /exit=\d+/.test(screen()) && screen(), 10_000);
    expect(s).toContain('exit=130');
    expect(s.split('\n').filter((l) => l.includes('hello-0-server'))).toHaveLength(1); // one tree on screen, not one per frame
  });

  it('uninstall asks for the name: a wrong one changes nothing, the right one uninstalls', async () => {
    clear();
    run('bin/svc uninstall hello-world; echo "exit=$?"');
    await waitFor('prompt', () => screen().includes('Type the service name to confirm'), 10_000);
    type('hello-wrld');
    enter();
    const wrong = await waitFor('refusal', () => /exit=\d+/.test(screen()) && screen(), 10_000);
    expect(wrong).toContain('does not match');
    expect(wrong).toContain('exit=1');
    expect(existsSync(join(t.home, 'hello-world'))).toBe(true);

    clear();
    run('bin/svc uninstall hello-world; echo "exit=$?"');
    await waitFor('prompt', () => screen().includes('Type the service name to confirm'), 10_000);
    type('hello-world');
    enter();
    const ok = await waitFor('uninstalled', () => /exit=\d+/.test(screen()) && screen(), 60_000);
    expect(ok).toContain('exit=0');
    expect(ok).toContain('service hello-world uninstalled');
    expect(existsSync(join(t.home, 'hello-world'))).toBe(false);
  });
});

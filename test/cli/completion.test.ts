// The checked-in completion scripts are what `svc completion` generates now (npm run completions
// rewrites them), and each parses in its shell.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPLETION_FILES, completionScript, SHELLS } from '../../src/cli/completion.js';
import { buildProgram } from '../../src/cli/main.js';
import { run, testDeps } from './helpers.js';

const DIR = resolve(import.meta.dirname, '../../completions');
const has = (cmd: string) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;

describe('completions', () => {
  for (const shell of SHELLS) {
    it(`completions/${COMPLETION_FILES[shell]} is current (else: npm run completions)`, () => {
      expect(readFileSync(join(DIR, COMPLETION_FILES[shell]), 'utf8')).toBe(completionScript(shell, buildProgram(testDeps().deps)));
    });
    // bash, zsh and fish are installed by .ci/run
    it(`the ${shell} script parses`, () => {
      expect(has(shell), `${shell} is not installed (apt-get install ${shell})`).toBe(true);
      const r = spawnSync(shell, ['-n', join(DIR, COMPLETION_FILES[shell])], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('svc completion bash prints the script', async () => {
    const r = await run(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(DIR, 'svc.bash'), 'utf8'));
  });

  it('bash completes commands, options and names from svc itself', () => {
    // a fake svc on PATH answers the name queries the way the real one does
    const script = `
      source ${join(DIR, 'svc.bash')}
      svc() {
        case "$*" in
          "plan list") printf '[\\n  "deploy",\\n  "recovery"\\n]\\n' ;;
          "--name hw plan list") printf '[\\n  "only-hw"\\n]\\n' ;;
          "pod list") printf '[\\n  "hello-0"\\n]\\n' ;;
          "task list --json") printf '[\\n  {\\n    "name": "hello-0-server",\\n    "status": "RUNNING"\\n  }\\n]\\n' ;;
          "services --json") printf '[\\n  {\\n    "name": "hw",\\n    "status": "RUNNING"\\n  }\\n]\\n' ;;
        esac
      }
      t() { COMP_WORDS=("$@"); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); COMPREPLY=(); _svc; echo "\${COMPREPLY[*]}"; }
      t svc pl
      t svc plans st
      t svc plan show ''
      t svc --name hw plan show ''
      t svc pod restart ''
      t svc task exec ''
      t svc uninstall ''
      t svc plan show deploy --w
      t svc completion ''
      t svc plan start x -p ''
    `;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'plan', // not its alias "plans" beside it
      'start stop',
      'deploy recovery',
      'only-hw',
      'hello-0',
      'hello-0-server',
      'hw',
      '--watch',
      'bash zsh fish',
      '',
      '',
    ]);
  });

  it('fish offers each command once, with its description; aliases are still understood', () => {
    const r = spawnSync('fish', ['-c', `source ${join(DIR, 'svc.fish')}; complete -C 'svc pl'; complete -C 'svc plans st'`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'plan\tshow and drive plans: deploy, recovery, and the custom plans of the spec',
      'start\tstart a plan (a sidecar plan, or restart a complete one), with parameters for its tasks',
      'stop\tinterrupt a plan and reset its steps to PENDING',
      '',
    ]);
  });

  it('zsh describes each command once (name:description), quotes included; aliases are still understood', () => {
    // _describe and compdef belong to the completion system; stand-ins print what they are given
    const script = `compdef() {}; _describe() { print -rl -- "\${(@P)4}" }; source ${join(DIR, '_svc')}; words=(svc plans ''); CURRENT=3; _svc; words=(svc ''); CURRENT=2; _svc`;
    const r = spawnSync('zsh', ['-c', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['list:names of the service\'s plans (JSON)', 'show:a plan as a tree of phases and steps', 'start:start a plan (a sidecar plan, or restart a complete one), with parameters for its tasks']);
    expect(lines.filter((l) => /^plans?:/.test(l))).toEqual(['plan:show and drive plans: deploy, recovery, and the custom plans of the spec']);
  });
});

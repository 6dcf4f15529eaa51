// argv → the options a command runs with, parsed by the real commander program (nothing runs).
import { describe, expect, it } from 'vitest';
import { parse, run } from './helpers.js';

interface Case {
  name: string;
  argv: string[];
  command: string;
  args?: unknown[];
  opts?: Record<string, unknown>;
  globals?: Record<string, unknown>;
}

const cases: Case[] = [
  { name: 'plan parameters split at the first =', argv: ['plan', 'start', 'deploy', '-p', 'A=1', '-p', 'B=x=y'], command: 'plan start', args: ['deploy'], opts: { params: { A: '1', B: 'x=y' }, timeout: 600 } },
  { name: 'a later duplicate parameter wins, values keep spaces', argv: ['plan', 'start', 's', '-p', 'C=has space', '--params', 'A=1', '-p', 'A=2'], command: 'plan start', args: ['s'], opts: { params: { C: 'has space', A: '2' }, timeout: 600 } },
  { name: 'an empty value is a value', argv: ['plan', 'start', 's', '-p', 'A='], command: 'plan start', opts: { params: { A: '' }, timeout: 600 } },
  { name: 'no parameters is an empty object', argv: ['plan', 'start', 's', '--wait', '--timeout', '30'], command: 'plan start', opts: { params: {}, wait: true, timeout: 30 } },
  { name: 'plan show with its flags', argv: ['plan', 'show', 'deploy', '--json', '-w'], command: 'plan show', args: ['deploy'], opts: { json: true, watch: true } },
  { name: 'aliases reach the same command', argv: ['plans', 'status', 'deploy'], command: 'plan show', args: ['deploy'], opts: {} },
  { name: 'force-restart takes an optional phase and step', argv: ['plan', 'restart', 'deploy', 'hello', 'hello-0:[server]'], command: 'plan force-restart', args: ['deploy', 'hello', 'hello-0:[server]'] },
  { name: 'pause takes an optional phase', argv: ['plan', 'interrupt', 'deploy'], command: 'plan pause', args: ['deploy', undefined] },
  { name: 'global options before the command', argv: ['--name', 'hw', '-v', 'plan', 'list'], command: 'plan list', globals: { name: 'hw', verbose: true } },
  { name: 'global options after the command', argv: ['plan', 'list', '--name', 'hw', '--verbose'], command: 'plan list', globals: { name: 'hw', verbose: true } },
  { name: 'global options between group and verb', argv: ['plan', '--url', 'http://x', 'show', 'deploy'], command: 'plan show', args: ['deploy'], globals: { url: 'http://x' } },
  { name: 'a global --json reaches the command', argv: ['--json', 'pod', 'status'], command: 'pod status', opts: { json: true } },
  { name: 'pod status of one pod', argv: ['pod', 'status', 'hello-0', '--json'], command: 'pod status', args: ['hello-0'], opts: { json: true } },
  { name: 'pod pause with tasks', argv: ['pod', 'pause', 'hello-0', '-t', 'server', 'sidecar'], command: 'pod pause', args: ['hello-0'], opts: { task: ['server', 'sidecar'] } },
  { name: 'pod replace --yes', argv: ['pods', 'replace', 'hello-1', '-y'], command: 'pod replace', args: ['hello-1'], opts: { yes: true, timeout: 300 } },
  { name: 'pod info', argv: ['pod', 'info', 'hello-0'], command: 'pod info', args: ['hello-0'] },
  { name: 'task exec keeps the command options for the command', argv: ['task', 'exec', '-it', 'hello-0-server', 'ls', '-v', '--name', 'x'], command: 'task exec', args: ['hello-0-server', 'ls', ['-v', '--name', 'x']], opts: { interactive: true, tty: true }, globals: {} },
  { name: 'task log flags', argv: ['task', 'log', 'hello-0-server', '-n', '20', '-f', '--stderr'], command: 'task log', args: ['hello-0-server'], opts: { lines: 20, follow: true, stderr: true } },
  { name: 'install defaults', argv: ['install', 'examples/hello-world'], command: 'install', args: ['examples/hello-world'], opts: { wait: true, timeout: 300 } },
  { name: 'install options', argv: ['install', 'pkg', '--no-wait', '--agents', '2', '--agent-mem', '512.5', '--options', 'o.json', '--spec', 's.yml'], command: 'install', opts: { wait: false, agents: 2, agentMem: 512.5, options: 'o.json', spec: 's.yml', timeout: 300 } },
  { name: 'uninstall --yes', argv: ['uninstall', 'hello-world', '--yes'], command: 'uninstall', args: ['hello-world'], opts: { yes: true } },
  { name: 'update start', argv: ['update', 'start', '--options', 'o.json', '--wait', '--timeout', '5'], command: 'update start', opts: { options: 'o.json', wait: true, timeout: 5 } },
  { name: 'config target_id and its kebab alias', argv: ['config', 'target-id'], command: 'config target_id' },
  { name: 'config show', argv: ['configs', 'show', 'abc'], command: 'config show', args: ['abc'] },
  { name: 'state framework_id by its kebab alias', argv: ['state', 'framework-id'], command: 'state framework_id' },
  { name: 'state property', argv: ['state', 'property', 'k', '--json'], command: 'state property', args: ['k'], opts: { json: true } },
  { name: 'debug offers --json', argv: ['debug', 'offers', '--json'], command: 'debug offers', opts: { json: true } },
  { name: 'debug task-statuses', argv: ['debug', 'task-statuses'], command: 'debug task-statuses' },
  { name: 'endpoints with a name', argv: ['endpoint', 'memcache'], command: 'endpoints', args: ['memcache'] },
  { name: 'describe against a URL', argv: ['--url', 'http://h/service/x', '--token', 't', 'describe', '--json'], command: 'describe', opts: { json: true }, globals: { url: 'http://h/service/x', token: 't' } },
  { name: 'completion shell', argv: ['completion', 'zsh'], command: 'completion', args: ['zsh'] },
  { name: 'help with a topic', argv: ['help', 'exit-codes'], command: 'help', args: [['exit-codes']] },
];

describe('argv → options', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const p = await parse(c.argv);
      expect(p.command).toBe(c.command);
      if (c.args) expect(p.args).toEqual(c.args);
      if (c.opts) expect(p.opts).toEqual(expect.objectContaining(c.opts));
      if (c.opts) for (const k of Object.keys(p.opts)) if (!['name', 'url', 'token', 'verbose'].includes(k)) expect(c.opts).toHaveProperty(k);
      if (c.globals) expect(p.globals).toEqual(c.globals);
    });
  }
});

describe('usage errors exit 2 before any request', () => {
  const usage: Array<[string, string[], string]> = [
    ['a -p without =', ['plan', 'start', 'sidecar', '-p', 'NOEQUALS'], 'svc: -p NOEQUALS: must be KEY=VALUE (one variable name and one value per -p)\n'],
    ['a -p with an empty name', ['plan', 'start', 'sidecar', '-p', '=x'], 'svc: -p =x: must be KEY=VALUE (one variable name and one value per -p)\n'],
    ['an unknown option', ['plan', 'show', 'deploy', '--bogus'], "svc: unknown option '--bogus' (see: svc plan show --help)\n"],
    ['a missing argument', ['pod', 'info'], "svc: missing required argument 'pod' (see: svc pod info --help)\n"],
    ['too many arguments', ['plan', 'list', 'extra'], "svc: too many arguments for 'list'. Expected 0 arguments but got 1. (see: svc plan list --help)\n"],
    ['an unknown command, with a suggestion', ['pln'], "svc: unknown command 'pln' (Did you mean plan?) (see: svc --help)\n"],
    ['an unknown subcommand', ['plan', 'frobnicate'], "svc: unknown command 'frobnicate' (see: svc plan --help)\n"],
    ['a bad number', ['install', 'x', '--agents', '0'], "svc: option '--agents <n>' argument '0' is invalid. expected a positive integer (see: svc install --help)\n"],
    ['a bad --lines', ['task', 'log', 't', '-n', 'many'], 'svc: --lines: expected a number, got "many"\n'],
    ['a shell we do not know', ['completion', 'tcsh'], "svc: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish. (see: svc completion --help)\n"],
    ['a global --json on a command without JSON', ['--json', 'plan', 'stop', 'x'], 'svc: "svc plan stop" has no --json output\n'],
    ['a step without its phase is impossible to say, so force-complete needs all three', ['plan', 'force-complete', 'deploy', 'hello'], "svc: missing required argument 'step' (see: svc plan force-complete --help)\n"],
  ];
  for (const [name, argv, stderr] of usage) {
    it(name, async () => {
      const r = await run(argv);
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr });
    });
  }
});

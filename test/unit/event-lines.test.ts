// svc events reads the scheduler's log: the lines the scheduler writes are recognised by kind, the
// rest (startup chatter, stack traces, lines without a time) are not events.
import { describe, expect, it } from 'vitest';
import { eventOf, lineSplitter } from '../../src/cli/commands/service/event-lines.js';
import { planTransitionLine } from '../../src/launcher/plan-transitions.js';

const T = '2026-12-01T02:56:01.631Z';
const kind = (msg: string) => eventOf(`${T} ${msg}`)?.kind;

describe('eventOf', () => {
  it('classifies what the scheduler logs', () => {
    expect(kind('scheduler for hello-world serving http://127.0.0.1:4000 (config abc)')).toBe('scheduler');
    expect(kind('launching hello-0:[server] on agent-1')).toBe('launch');
    expect(kind('launch of hello-0:[server] failed: no such user')).toBe('failure');
    expect(kind('task hello-0-server TASK_FAILED: exited with code 3')).toBe('failure');
    expect(kind('task hello-0-server TASK_KILLED: killed')).toBe('kill');
    expect(kind('task hello-0-server TASK_FINISHED: exited with code 0')).toBe('finish');
    expect(kind('restart of hello-0: killed hello-0-server')).toBe('kill');
    expect(kind('replace of hello-0: killed hello-0-server')).toBe('kill');
    expect(kind('hello-0-server has been failing for 30 s: replacing hello-0')).toBe('replace');
    expect(kind('step hello-0:[server]: not placed (hostname:UNIQUE: 1 instance(s) of hello already on agent-1)')).toBe('placement');
    expect(kind(planTransitionLine('deploy', 'IN_PROGRESS', 'COMPLETE'))).toBe('plan');
    expect(kind(planTransitionLine('deploy', undefined, 'PENDING'))).toBe('plan');
    expect(kind('uninstall complete')).toBe('uninstall');
  });
  it('keeps the time and the message', () => {
    expect(eventOf(`${T} launching a on b`)).toEqual({ time: T, kind: 'launch', message: 'launching a on b' });
  });
  it('skips what is not an event', () => {
    expect(eventOf('    at Scheduler.pass (file.js:1:2)')).toBeUndefined();
    expect(eventOf(`${T} reconciling 2 tasks`)).toBeUndefined();
    expect(eventOf('launching a on b')).toBeUndefined(); // no time: not a line the scheduler wrote
  });
});

describe('lineSplitter', () => {
  it('holds an unfinished line until its end arrives', () => {
    const split = lineSplitter();
    expect(split('a\nb')).toEqual(['a']);
    expect(split('c\nd\n')).toEqual(['bc', 'd']);
    expect(split('')).toEqual([]);
  });
});

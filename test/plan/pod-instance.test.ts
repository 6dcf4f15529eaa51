import { describe, expect, it } from 'vitest';
import { instanceOf, parsePodInstance, podInstanceName, podTypeOf, taskFullName } from '../../src/plan/index.js';

describe('pod instance names', () => {
  it.each([
    ['hello-0', { podType: 'hello', index: 0 }],
    ['hello-world-12', { podType: 'hello-world', index: 12 }],
    ['a-1-2', { podType: 'a-1', index: 2 }],
  ])('parses %s from its end', (name, ref) => {
    expect(parsePodInstance(name)).toEqual(ref);
    expect(podInstanceName(ref.podType, ref.index)).toBe(name);
  });

  it.each(['hello', 'hello-', '-0', 'hello-01', 'hello-x', ''])('refuses %j, which names no pod instance', (name) => {
    expect(parsePodInstance(name)).toBeUndefined();
  });

  it('never confuses a pod type with another it prefixes', () => {
    expect(podTypeOf('hello-world-0')).toBe('hello-world');
    expect(podTypeOf('hello-0')).toBe('hello');
  });

  it('names records and tasks the same way', () => {
    expect(instanceOf({ podType: 'hello-world', podIndex: 3 })).toBe('hello-world-3');
    expect(instanceOf({ podType: 'hello', index: 0 })).toBe('hello-0');
    expect(taskFullName('hello-0', 'server')).toBe('hello-0-server');
  });
});

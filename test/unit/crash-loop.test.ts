// A crash loop is told by the failures in a row, whatever the launch backoff: svc services says FAILING.
import { describe, expect, it } from 'vitest';
import { crashLooping } from '../../src/scheduler/crash-loop.js';
import type { TaskRecord } from '../../src/state/index.js';

const NOW = 1_000_000_000;
const task = (failures: number, state?: string, agoMs = 0): TaskRecord =>
  ({
    name: 'crash-0-server', podType: 'crash', podIndex: 0, taskSpec: 'server', taskId: 't', agentId: 'a', configId: 'c', env: {}, failures,
    ...(state ? { status: { taskId: 't', state, message: '', timestamp: (NOW - agoMs) / 1000 } } : {}),
  }) as TaskRecord;

describe('crash loop', () => {
  it('a task that failed again after a relaunch, down or up again for a moment', () => {
    expect(crashLooping(task(2, 'TASK_FAILED'), NOW)).toBe(true);
    expect(crashLooping(task(5, 'TASK_STARTING'), NOW)).toBe(true);
    expect(crashLooping(task(5, 'TASK_RUNNING', 1000), NOW)).toBe(true);
    expect(crashLooping(task(2), NOW)).toBe(true); // relaunched, no status yet
  });

  it('not a task that failed once, never failed, ran long since, or finished', () => {
    expect(crashLooping(task(1, 'TASK_FAILED'), NOW)).toBe(false);
    expect(crashLooping(task(0, 'TASK_RUNNING'), NOW)).toBe(false);
    expect(crashLooping(task(5, 'TASK_RUNNING', 60_000), NOW)).toBe(false);
    expect(crashLooping(task(5, 'TASK_FINISHED'), NOW)).toBe(false);
  });
});

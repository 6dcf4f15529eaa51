// Step status from task records: table tests of the rules the scheduler applies on every update.
import { describe, expect, it } from 'vitest';
import { backoffFromEnv } from '../../src/scheduler/backoff.js';
import { backoffMs, deriveStepStatus, initialStepStatus, NO_BACKOFF, type StepTask } from '../../src/scheduler/step-status.js';
import type { TaskSpec } from '../../src/spec/index.js';
import type { TaskRecord, TaskState } from '../../src/state/index.js';

const aTask = (over: Partial<TaskSpec> = {}): TaskSpec => ({ name: 'server', goal: 'RUNNING', readinessCheck: undefined, ...over }) as TaskSpec;
const aRecord = (state: TaskState | undefined, over: Partial<TaskRecord> = {}): TaskRecord =>
  ({ name: 'p-0-server', taskId: 'id-1', configId: 'c1', failures: 0, status: state ? { taskId: 'id-1', state, message: '', timestamp: 100 } : undefined, ...over }) as TaskRecord;
const NOW = 100_000;
const mine = new Set(['id-1']);
/** Backoff on, 1 s doubling to 60 s. */
const CTX = { targetConfigId: 'c1', backoff: { enabled: true as const, initialMs: 1000, factor: 2, maxMs: 60_000 } };

describe('deriveStepStatus', () => {
  const cases: Array<[string, StepTask[], ReadonlySet<string> | undefined, string]> = [
    ['no record yet: PENDING', [{ spec: aTask() }], mine, 'PENDING'],
    ['a record this step did not launch: PENDING', [{ spec: aTask(), record: aRecord('TASK_RUNNING') }], new Set(['other']), 'PENDING'],
    ['launched, no status yet: STARTING', [{ spec: aTask(), record: aRecord(undefined) }], mine, 'STARTING'],
    ['RUNNING goal running: COMPLETE', [{ spec: aTask(), record: aRecord('TASK_RUNNING') }], mine, 'COMPLETE'],
    ['running but not ready: STARTED', [{ spec: aTask({ readinessCheck: {} as TaskSpec['readinessCheck'] }), record: aRecord('TASK_RUNNING') }], mine, 'STARTED'],
    ['a FINISHED goal still running: STARTED', [{ spec: aTask({ goal: 'FINISHED' }), record: aRecord('TASK_RUNNING') }], mine, 'STARTED'],
    ['a FINISHED goal finished: COMPLETE', [{ spec: aTask({ goal: 'FINISHED' }), record: aRecord('TASK_FINISHED') }], mine, 'COMPLETE'],
    ['a RUNNING goal that finished: PENDING (run it again)', [{ spec: aTask(), record: aRecord('TASK_FINISHED') }], mine, 'PENDING'],
    ['killed or lost: PENDING', [{ spec: aTask(), record: aRecord('TASK_LOST') }], mine, 'PENDING'],
    ['second failure within its backoff: DELAYED', [{ spec: aTask(), record: aRecord('TASK_FAILED', { failures: 2, status: { taskId: 'id-1', state: 'TASK_FAILED', message: '', timestamp: NOW / 1000 } }) }], mine, 'DELAYED'],
    ['a crash backs off even for a step that did not launch it', [{ spec: aTask(), record: aRecord('TASK_FAILED', { failures: 3, status: { taskId: 'id-1', state: 'TASK_FAILED', message: '', timestamp: NOW / 1000 } }) }], undefined, 'DELAYED'],
    ['first failure, its backoff over: PENDING', [{ spec: aTask(), record: aRecord('TASK_FAILED', { failures: 1, status: { taskId: 'id-1', state: 'TASK_FAILED', message: '', timestamp: 98 } }) }], mine, 'PENDING'],
    ['a task this step launched running an older config: PENDING (redo it)', [{ spec: aTask(), record: aRecord('TASK_RUNNING', { configId: 'c0' }) }], mine, 'PENDING'],
    ['a FINISH task finished under an older config: PENDING', [{ spec: aTask({ goal: 'FINISHED' }), record: aRecord('TASK_FINISHED', { configId: 'c0' }) }], mine, 'PENDING'],
    ['a ONCE task finished under an older config: COMPLETE', [{ spec: aTask({ goal: 'ONCE' }), record: aRecord('TASK_FINISHED', { configId: 'c0' }) }], mine, 'COMPLETE'],
    ['running paused: STARTED (its readiness is forced to fail)', [{ spec: aTask(), record: aRecord('TASK_RUNNING', { launchedPaused: true }) }], mine, 'STARTED'],
    ['lowest of several tasks wins', [{ spec: aTask(), record: aRecord('TASK_RUNNING') }, { spec: aTask({ name: 'b' }), record: aRecord(undefined, { taskId: 'id-1' }) }], mine, 'STARTING'],
  ];
  for (const [name, tasks, launched, want] of cases) it(name, () => expect(deriveStepStatus(tasks, launched, NOW, CTX).status).toBe(want));

  it('says when a DELAYED step may go again', () => {
    const r = deriveStepStatus([{ spec: aTask(), record: aRecord('TASK_FAILED', { failures: 3, status: { taskId: 'id-1', state: 'TASK_FAILED', message: '', timestamp: NOW / 1000 } }) }], mine, NOW, CTX);
    expect(r).toEqual({ status: 'DELAYED', delayedUntil: NOW + 4000 });
  });
});

describe('backoffMs', () => {
  it('is off unless enabled: relaunch at once, however often it failed', () => {
    expect([1, 2, 10, 100].map((n) => backoffMs(n, NO_BACKOFF))).toEqual([0, 0, 0, 0]);
  });
  it('enabled: the initial delay after the first failure, times the factor after each further one, up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 8, 20].map((n) => backoffMs(n, CTX.backoff))).toEqual([1000, 2000, 4000, 8000, 16_000, 60_000, 60_000]);
  });
});

describe('backoffFromEnv (the original names and defaults)', () => {
  it.each([
    [{}, NO_BACKOFF],
    [{ ENABLE_BACKOFF: 'false' }, NO_BACKOFF],
    [{ ENABLE_BACKOFF: 'yes' }, NO_BACKOFF],
    [{ FRAMEWORK_INITIAL_BACKOFF: '5' }, NO_BACKOFF],
    [{ ENABLE_BACKOFF: 'true' }, { enabled: true, initialMs: 60_000, factor: 1.15, maxMs: 300_000 }],
    [{ ENABLE_BACKOFF: 'TRUE', FRAMEWORK_INITIAL_BACKOFF: '2', FRAMEWORK_BACKOFF_FACTOR: '3', FRAMEWORK_MAX_LAUNCH_DELAY: '10' }, { enabled: true, initialMs: 2000, factor: 3, maxMs: 10_000 }],
  ])('%j', (env, want) => expect(backoffFromEnv(env)).toEqual(want));
  it.each([
    [{ ENABLE_BACKOFF: 'true', FRAMEWORK_BACKOFF_FACTOR: 'fast' }, /FRAMEWORK_BACKOFF_FACTOR/],
    [{ ENABLE_BACKOFF: 'true', FRAMEWORK_BACKOFF_FACTOR: '0.5' }, /FRAMEWORK_BACKOFF_FACTOR: must be at least 1/],
    [{ ENABLE_BACKOFF: 'true', FRAMEWORK_INITIAL_BACKOFF: '-1' }, /FRAMEWORK_INITIAL_BACKOFF/],
    [{ ENABLE_BACKOFF: 'true', FRAMEWORK_MAX_LAUNCH_DELAY: '1.5' }, /FRAMEWORK_MAX_LAUNCH_DELAY/],
  ])('refuses %j naming the variable', (env, want) => expect(() => backoffFromEnv(env)).toThrow(want));
});

describe('initialStepStatus', () => {
  const cases: Array<[string, StepTask[], string]> = [
    ['nothing stored: PENDING', [{ spec: aTask() }], 'PENDING'],
    ['launched, never reported: STARTING (the engine will confirm or report it lost)', [{ spec: aTask(), record: aRecord(undefined) }], 'STARTING'],
    ['running the target config: COMPLETE', [{ spec: aTask(), record: aRecord('TASK_RUNNING') }], 'COMPLETE'],
    ['running an older config: PENDING (roll it)', [{ spec: aTask(), record: aRecord('TASK_RUNNING', { configId: 'c0' }) }], 'PENDING'],
    ['running the target, not ready yet: STARTED', [{ spec: aTask({ readinessCheck: {} as TaskSpec['readinessCheck'] }), record: aRecord('TASK_RUNNING') }], 'STARTED'],
    ['ONCE finished under any config: COMPLETE (never rerun)', [{ spec: aTask({ goal: 'ONCE' }), record: aRecord('TASK_FINISHED', { configId: 'c0' }) }], 'COMPLETE'],
    ['FINISHED goal under an older config: PENDING', [{ spec: aTask({ goal: 'FINISHED' }), record: aRecord('TASK_FINISHED', { configId: 'c0' }) }], 'PENDING'],
    ['failed: PENDING', [{ spec: aTask(), record: aRecord('TASK_FAILED') }], 'PENDING'],
  ];
  for (const [name, tasks, want] of cases) it(name, () => expect(initialStepStatus(tasks, 'c1')).toBe(want));
});

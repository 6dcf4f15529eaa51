// What the scheduler must remember across restarts, on top of a Persister:
//   tasks/<task-name>          TaskRecord (launch intent, placement, last status)
//   pods/<pod-instance>        PodRecord (agent + reservation)
//   configs/<id>, config-target  accepted specs and the target id
//   properties/<key>           free-form (e.g. uninstall flag, deployment-completed flag)
import type { Op, Persister } from './persister.js';

import type { TaskStatusRecord } from '../engine/types.js';

// The engine contract's status types, re-exported for the state's users.
export { isTerminal, TERMINAL_STATES, type TaskState, type TaskStatusRecord } from '../engine/types.js';

export interface TaskRecord {
  /** Full task name: `<pod>-<index>-<task>`. */
  readonly name: string;
  readonly podType: string;
  readonly podIndex: number;
  readonly taskSpec: string;
  readonly taskId: string;
  readonly agentId: string;
  readonly configId: string;
  readonly env: Readonly<Record<string, string>>;
  readonly status?: TaskStatusRecord;
  /** Consecutive failures, for launch backoff. */
  readonly failures: number;
  /** When the current run of failures began (ms since the epoch), for the permanent-failure timeout. */
  readonly failingSince?: number;
  readonly permanentlyFailed?: boolean;
  /** Operator goal override: a paused task is relaunched running `sleep` so one can exec into it. */
  readonly paused?: boolean;
  /** Whether the current incarnation was launched paused. */
  readonly launchedPaused?: boolean;
  /** The message of the last failed status ("exited with code 3"), kept across relaunches. */
  readonly lastFailure?: string;
}

export interface PodRecord {
  readonly name: string;
  readonly podType: string;
  readonly index: number;
  readonly agentId: string;
  readonly reservationId: string;
  /** Reserved ports by name. */
  readonly ports: Readonly<Record<string, number>>;
}

export class StateStore {
  /** Parsed values by key, valid while the persister still holds the very same string. */
  private readonly parsed = new Map<string, { raw: string; value: unknown }>();
  private taskList?: TaskRecord[];

  constructor(private readonly p: Persister) {}

  private readJson<T>(key: string): T | undefined {
    const raw = this.p.get(key);
    if (raw === undefined) return undefined;
    const hit = this.parsed.get(key);
    if (hit && hit.raw === raw) return hit.value as T;
    const value = JSON.parse(raw) as T;
    this.parsed.set(key, { raw, value });
    return value;
  }
  private list<T>(prefix: string): T[] {
    return this.p.keys(prefix).map((k) => this.readJson<T>(k) as T);
  }
  private static set(key: string, value: unknown): Op {
    return { set: key, value: JSON.stringify(value) };
  }

  /** Every task, by name; the list is kept until the next write (callers must not change it). */
  tasks(): readonly TaskRecord[] {
    return (this.taskList ??= this.list<TaskRecord>('tasks/'));
  }
  task(name: string): TaskRecord | undefined {
    return this.readJson<TaskRecord>(`tasks/${name}`);
  }
  pods(): PodRecord[] {
    return this.list<PodRecord>('pods/');
  }
  pod(name: string): PodRecord | undefined {
    return this.readJson<PodRecord>(`pods/${name}`);
  }

  /** Records a pod instance's reservation and its tasks' launch intent in one transaction. */
  storeLaunch(pod: PodRecord, tasks: readonly TaskRecord[]): void {
    this.p.apply([StateStore.set(`pods/${pod.name}`, pod), ...tasks.map((t) => StateStore.set(`tasks/${t.name}`, t))]);
    for (const t of tasks) this.keepListed(t);
  }
  storeTask(task: TaskRecord): void {
    this.p.apply([StateStore.set(`tasks/${task.name}`, task)]);
    this.keepListed(task);
  }

  /** Updates the cached task list in place, kept sorted by name: a deploy makes 1,000s of these. */
  private keepListed(task: TaskRecord): void {
    const list = this.taskList;
    if (!list) return;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].name < task.name) lo = mid + 1;
      else hi = mid;
    }
    if (list[lo]?.name === task.name) list[lo] = task;
    else list.splice(lo, 0, task);
  }
  deleteTask(name: string): void {
    this.taskList = undefined;
    this.p.apply([{ delete: `tasks/${name}` }]);
    this.parsed.delete(`tasks/${name}`);
  }
  deletePod(name: string, taskNames: readonly string[]): void {
    this.taskList = undefined;
    this.p.apply([{ delete: `pods/${name}` }, ...taskNames.map((t) => ({ delete: `tasks/${t}` }))]);
    this.parsed.delete(`pods/${name}`);
    for (const t of taskNames) this.parsed.delete(`tasks/${t}`);
  }

  property(key: string): string | undefined {
    return this.p.get(`properties/${key}`);
  }
  properties(): string[] {
    return this.p.keys('properties/').map((k) => k.slice('properties/'.length));
  }
  setProperty(key: string, value: string): void {
    this.p.apply([{ set: `properties/${key}`, value }]);
  }

  frameworkId(): string | undefined {
    return this.p.get('framework-id');
  }
  setFrameworkId(id: string): void {
    this.p.apply([{ set: 'framework-id', value: id }]);
  }

  /** Stores an accepted config and makes it the target. */
  storeTargetConfig(id: string, specJson: string): void {
    this.p.apply([{ set: `configs/${id}`, value: specJson }, { set: 'config-target', value: id }]);
  }
  targetConfigId(): string | undefined {
    return this.p.get('config-target');
  }
  config(id: string): string | undefined {
    return this.p.get(`configs/${id}`);
  }
  configIds(): string[] {
    return this.p.keys('configs/').map((k) => k.slice('configs/'.length));
  }
  /** Deletes, in one transaction, every stored config not in `keep`; returns the ids deleted. */
  deleteConfigsExcept(keep: ReadonlySet<string>): string[] {
    const gone = this.configIds().filter((id) => !keep.has(id));
    if (gone.length > 0) this.p.apply(gone.map((id) => ({ delete: `configs/${id}` })));
    return gone;
  }

  /** Forgets everything (end of uninstall). */
  wipe(): void {
    this.taskList = undefined;
    this.parsed.clear();
    this.p.apply(['tasks', 'pods', 'configs', 'properties', 'config-target', 'framework-id'].map((k) => ({ delete: k })));
  }
}

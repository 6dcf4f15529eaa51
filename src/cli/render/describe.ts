// `svc describe`: one service in a few lines. The summary is built from API answers (and, for a
// service installed here, its registry entry) by a pure function, then rendered.
import type { PodStatusJson } from '../../client/index.js';
import { noColors, type Colors } from './colors.js';

export interface ServiceDescription {
  name: string;
  /** How it was installed (null when talking to a scheduler by --url). */
  source: { kind: string; path: string; specFile?: string; options?: unknown } | null;
  scheduler: { url: string; pid: number | null };
  /** The target configuration's id. */
  config: string | null;
  plans: Array<{ name: string; status: string }>;
  pods: number;
  tasks: { total: number; running: number };
  /** Tasks that are down or have failed since their last operator action, with why ("exited with code 3, 4 restarts"); absent when none. */
  failedTasks?: Array<{ name: string; note: string }>;
  endpoints: string[];
}

export interface DescribeInputs {
  url: string;
  pid?: number | null;
  source?: ServiceDescription['source'];
  podStatus: PodStatusJson;
  plans: Array<{ name: string; status: string }>;
  targetId?: string | null;
  endpoints: string[];
  /** Task name → failure note (svc's scheduler only). */
  taskNotes?: ReadonlyMap<string, string>;
}

export function describeService(i: DescribeInputs): ServiceDescription {
  const instances = (i.podStatus.pods ?? []).flatMap((p) => p.instances);
  const tasks = instances.flatMap((inst) => inst.tasks);
  return {
    name: i.podStatus.service,
    source: i.source ?? null,
    scheduler: { url: i.url, pid: i.pid ?? null },
    config: i.targetId ?? null,
    plans: i.plans,
    pods: instances.length,
    tasks: { total: tasks.length, running: tasks.filter((t) => t.status === 'RUNNING').length },
    ...(i.taskNotes && i.taskNotes.size > 0 ? { failedTasks: [...i.taskNotes].map(([name, note]) => ({ name, note })) } : {}),
    endpoints: i.endpoints,
  };
}

export function renderDescription(d: ServiceDescription, c: Colors = noColors): string {
  const rows: Array<[string, string]> = [
    ['source', d.source ? `${d.source.path}${d.source.kind === 'package' ? ` (package${d.source.specFile ? `, spec ${d.source.specFile}` : ''})` : ''}` : '-'],
    ['scheduler', `${d.scheduler.url}${d.scheduler.pid ? ` (pid ${d.scheduler.pid})` : ''}`],
    ['config', d.config ?? '-'],
    ['plans', d.plans.length > 0 ? d.plans.map((p) => `${p.name} ${c.status(p.status)}`).join(', ') : 'none'],
    ['pods', `${d.pods} (${d.tasks.total} task${d.tasks.total === 1 ? '' : 's'}, ${d.tasks.running} running)`],
    ...(d.failedTasks ? d.failedTasks.map((f, i): [string, string] => [i === 0 ? 'failures' : '', `${f.name}: ${c.red(f.note)} (svc task log ${f.name} --stderr)`]) : []),
    ['endpoints', d.endpoints.length > 0 ? d.endpoints.join(', ') : 'none'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [c.bold(d.name), ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join('\n') + '\n';
}

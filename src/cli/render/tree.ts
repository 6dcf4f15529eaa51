// Plan and pod trees in the original CLI's text format (reference/cli.md §4.2, §4.3). Status words
// go through the colour scheme, which is the identity when colour is off.
import type { PodInstanceStatusJson, PodStatusJson } from '../../client/index.js';
import type { PlanJson } from '../../plan/json.js';
import { noColors, type Colors } from './colors.js';

const U = '<UNKNOWN>';
const orU = (v: string | undefined | null) => (v ? v : U);

interface Node {
  line: string;
  children: Node[];
}

function draw(nodes: readonly Node[], indent: string, out: string[]): void {
  nodes.forEach((n, i) => {
    const last = i === nodes.length - 1;
    out.push(`${indent}${last ? '└─ ' : '├─ '}${n.line}`);
    draw(n.children, indent + (last ? '   ' : '│  '), out);
  });
}

function render(root: string, children: readonly Node[]): string[] {
  const out = [root];
  draw(children, '', out);
  return out;
}

/** Notes under a step: at most this many, then where to see the rest. */
const MAX_NOTES = 3;

/** `notes`: step name → lines to show under it (why it is not placed yet). */
export function renderPlanTree(planName: string, plan: Partial<PlanJson>, c: Colors = noColors, notes: ReadonlyMap<string, readonly string[]> = new Map()): string {
  const st = (s: string | undefined | null) => c.status(orU(s));
  const noteNodes = (step: string): Node[] => {
    const lines = notes.get(step) ?? [];
    const shown = lines.slice(0, MAX_NOTES).map((l) => ({ line: c.dim(`not placed: ${l}`), children: [] }));
    return lines.length > MAX_NOTES ? [...shown, { line: c.dim(`… ${lines.length - MAX_NOTES} more (svc debug offers)`), children: [] }] : shown;
  };
  const phases = (plan.phases ?? []).map((ph) => ({
    line: `${orU(ph.name)} (${orU(ph.strategy)} strategy) (${st(ph.status)})`,
    children: (ph.steps ?? []).map((step) => ({ line: `${orU(step.name)} (${st(step.status)})`, children: noteNodes(orU(step.name)) })),
  }));
  const out = render(`${planName} (${orU(plan.strategy)} strategy) (${st(plan.status)})`, phases);
  if (plan.errors && plan.errors.length > 0) out.push('', c.red('Errors:'), ...plan.errors.map((e) => `- ${e}`));
  return out.join('\n').trimEnd() + '\n';
}

/** Task name → why it failed and how often ("exited with code 3, 4 restarts"), for failing tasks. */
export type TaskNotes = ReadonlyMap<string, string>;

const taskLine = (t: { name: string; status?: string }, c: Colors, notes: TaskNotes) => {
  const note = notes.get(t.name);
  return `${orU(t.name)} (${c.status(orU(t.status))})${note ? ` ${c.red(note)}` : ''}`;
};

export function renderPodTree(status: PodStatusJson, c: Colors = noColors, notes: TaskNotes = new Map()): string {
  const pods = (status.pods ?? []).map((p) => ({
    line: orU(p.name),
    children: p.instances.map((inst) => ({
      line: orU(inst.name),
      children: inst.tasks.map((t) => ({ line: taskLine(t, c, notes), children: [] })),
    })),
  }));
  return render(status.service, pods).join('\n') + '\n';
}

export function renderPodInstanceTree(status: PodInstanceStatusJson, c: Colors = noColors, notes: TaskNotes = new Map()): string {
  return render(
    status.name,
    status.tasks.map((t) => ({ line: taskLine(t, c, notes), children: [] })),
  ).join('\n') + '\n';
}

// Tables moved to table.ts (cli-table3); the old name stays for the task commands.
export { renderTable as renderColumns, type ColumnStyle } from './table.js';

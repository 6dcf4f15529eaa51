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

export function renderPlanTree(planName: string, plan: Partial<PlanJson>, c: Colors = noColors): string {
  const st = (s: string | undefined | null) => c.status(orU(s));
  const phases = (plan.phases ?? []).map((ph) => ({
    line: `${orU(ph.name)} (${orU(ph.strategy)} strategy) (${st(ph.status)})`,
    children: (ph.steps ?? []).map((step) => ({ line: `${orU(step.name)} (${st(step.status)})`, children: [] })),
  }));
  const out = render(`${planName} (${orU(plan.strategy)} strategy) (${st(plan.status)})`, phases);
  if (plan.errors && plan.errors.length > 0) out.push('', c.red('Errors:'), ...plan.errors.map((e) => `- ${e}`));
  return out.join('\n').trimEnd() + '\n';
}

const taskLine = (t: { name: string; status?: string }, c: Colors) => `${orU(t.name)} (${c.status(orU(t.status))})`;

export function renderPodTree(status: PodStatusJson, c: Colors = noColors): string {
  const pods = (status.pods ?? []).map((p) => ({
    line: orU(p.name),
    children: p.instances.map((inst) => ({
      line: orU(inst.name),
      children: inst.tasks.map((t) => ({ line: taskLine(t, c), children: [] })),
    })),
  }));
  return render(status.service, pods).join('\n') + '\n';
}

export function renderPodInstanceTree(status: PodInstanceStatusJson, c: Colors = noColors): string {
  return render(
    status.name,
    status.tasks.map((t) => ({ line: taskLine(t, c), children: [] })),
  ).join('\n') + '\n';
}

export interface ColumnStyle {
  readonly header?: (text: string) => string;
  /** Styles one cell's text (before padding, so widths stay those of the plain text). */
  readonly cell?: (column: number, text: string) => string;
}

/** Plain aligned columns: stable for scripts, readable for people. */
export function renderColumns(header: readonly string[], rows: readonly (readonly string[])[], style: ColumnStyle = {}): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[], paint: (c: number, t: string) => string) =>
    r.map((cell, c) => paint(c, cell) + (c === r.length - 1 ? '' : ' '.repeat(widths[c] - cell.length))).join('  ');
  const head = style.header ?? ((t: string) => t);
  const cell = style.cell ?? ((_c: number, t: string) => t);
  return [line(header, (_c, t) => head(t)), ...rows.map((r) => line(r, cell))].join('\n') + '\n';
}

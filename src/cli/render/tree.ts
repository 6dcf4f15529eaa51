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

// Tables moved to table.ts (cli-table3); the old name stays for the task commands.
export { renderTable as renderColumns, type ColumnStyle } from './table.js';

// Plan and pod trees in the original CLI's text format (reference/cli.md §4.2, §4.3).
import type { PodInstanceStatusJson, PodStatusJson } from '../../client/index.js';
import type { PlanJson } from '../../plan/json.js';

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

export function renderPlanTree(planName: string, plan: Partial<PlanJson>): string {
  const phases = (plan.phases ?? []).map((ph) => ({
    line: `${orU(ph.name)} (${orU(ph.strategy)} strategy) (${orU(ph.status)})`,
    children: (ph.steps ?? []).map((st) => ({ line: `${orU(st.name)} (${orU(st.status)})`, children: [] })),
  }));
  const out = render(`${planName} (${orU(plan.strategy)} strategy) (${orU(plan.status)})`, phases);
  if (plan.errors && plan.errors.length > 0) out.push('', 'Errors:', ...plan.errors.map((e) => `- ${e}`));
  return out.join('\n').trimEnd() + '\n';
}

export function renderPodTree(status: PodStatusJson): string {
  const pods = (status.pods ?? []).map((p) => ({
    line: orU(p.name),
    children: p.instances.map((inst) => ({
      line: orU(inst.name),
      children: inst.tasks.map((t) => ({ line: `${orU(t.name)} (${orU(t.status)})`, children: [] })),
    })),
  }));
  return render(status.service, pods).join('\n') + '\n';
}

export function renderPodInstanceTree(status: PodInstanceStatusJson): string {
  return render(
    status.name,
    status.tasks.map((t) => ({ line: `${orU(t.name)} (${orU(t.status)})`, children: [] })),
  ).join('\n') + '\n';
}

/** Plain aligned columns: stable for scripts, readable for people. */
export function renderColumns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n') + '\n';
}

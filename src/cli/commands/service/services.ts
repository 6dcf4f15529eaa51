// svc services: the installed services and their state.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import type { ServiceSummary } from '../../launcher-port.js';
import { renderTable } from '../../render/table.js';
import { examples, toJson } from '../shared.js';

export function register(program: Command, deps: CliDeps): void {
  examples(
    program.command('services').description('list installed services and their state').option('--json', 'print JSON: name, status, url, pid, home of each'),
    'svc services',
    'svc services --json',
  ).action(async (o: { json?: boolean }) => {
    const list = await run(deps);
    if (o.json) return deps.io.out(toJson(list));
    if (list.length === 0) return deps.io.err(`no services installed in ${deps.svcHome()}; install one with: svc install <svc.yml>\n`);
    const c = await deps.io.colors();
    deps.io.out(renderTable(['NAME', 'STATUS', 'URL'], list.map((s) => [s.name, s.status, s.url ?? '-']), { header: c.bold, cell: (col, t) => (col === 1 ? c.status(t) : t) }));
  });
}

export async function run(deps: CliDeps): Promise<ServiceSummary[]> {
  return (await deps.launcher()).services();
}

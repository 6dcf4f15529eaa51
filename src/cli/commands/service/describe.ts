// svc describe: the service's name, source, scheduler, plans, pods and endpoints in a few lines.
import type { Command } from 'commander';
import { ApiError } from '../../../client/errors.js';
import { selectHome, type CliDeps, type GlobalOptions } from '../../deps.js';
import { describeService, renderDescription, type ServiceDescription } from '../../render/describe.js';
import { taskNotes } from '../../task-health.js';
import { examples, globalsOf, toJson } from '../shared.js';

export function register(program: Command, deps: CliDeps): void {
  examples(
    program.command('describe').description('a short summary of the service: source, scheduler, plans, pods, endpoints').option('--json', 'print the summary as JSON'),
    'svc describe',
    'svc --name memcache describe --json',
  ).action(async (o: { json?: boolean }, cmd: Command) => {
    const d = await run(globalsOf(cmd), deps);
    deps.io.out(o.json ? toJson(d) : renderDescription(d, await deps.io.colors()));
  });
}

export async function run(g: GlobalOptions, deps: CliDeps): Promise<ServiceDescription> {
  const c = await deps.client(g);
  // the registry entry, for a service installed on this machine
  let local: { source: ServiceDescription['source']; pid: number | null } | undefined;
  if (!(g.url ?? deps.env.SVC_URL)) {
    const home = await selectHome(deps, g);
    local = { source: home.info()?.source ?? null, pid: home.schedulerPid() ?? null };
  }
  const [podStatus, names, endpoints, targetId, notes] = await Promise.all([
    c.podStatus(),
    c.plans(),
    c.endpoints(),
    c.configTargetId().then(
      (r) => r.body[0] ?? null,
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      },
    ),
    taskNotes(c),
  ]);
  const plans = await Promise.all(names.body.map(async (name) => ({ name, status: (await c.plan(name)).body.status as string })));
  return describeService({ url: c.baseUrl, pid: local?.pid, source: local?.source, podStatus: podStatus.body, plans, targetId, endpoints: endpoints.body, taskNotes: notes });
}

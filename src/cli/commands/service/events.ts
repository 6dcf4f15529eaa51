// svc events [service]: launches, failures, kills, replacements, placement waits and plan
// transitions, with their times, read from the scheduler's log (see event-lines.ts for why).
import { InvalidArgumentError, type Command } from 'commander';
import type { CliDeps, GlobalOptions } from '../../deps.js';
import { count, examples, globalsOf } from '../shared.js';
import { eventOf, lineSplitter, type EventKind, type SchedulerEvent } from './event-lines.js';
import { readLogFile } from './log-file.js';
import { serviceName } from './start.js';

export interface EventsOptions {
  globals: GlobalOptions;
  service?: string;
  /** Only the last n events (before following). */
  lines?: number;
  follow?: boolean;
  kind?: EventKind[];
  signal?: AbortSignal;
}

const KINDS: readonly EventKind[] = ['scheduler', 'launch', 'failure', 'finish', 'kill', 'replace', 'placement', 'plan', 'uninstall'];

export function register(program: Command, deps: CliDeps): void {
  examples(
    program
      .command('events')
      .description("what happened to a service, with times: launches, failures, kills, replacements, placement waits, plan transitions (from the scheduler's log)")
      .argument('[service]', 'service name (default: --name, SVC_SERVICE, or the only one installed)')
      .option('-f, --follow', 'keep printing events as they happen')
      .option('-n, --lines <n>', 'only the last n events', count)
      .option('--kind <kinds>', `only these kinds, comma-separated: ${KINDS.join(', ')}`, kinds)
      .option('--json', 'one JSON object per event: time, kind, message'),
    'svc events',
    'svc events --kind failure,kill --follow',
    'svc events --lines 20 --json',
  ).action(async (service: string | undefined, o: { follow?: boolean; lines?: number; kind?: EventKind[]; json?: boolean }, cmd: Command) => {
    await run({ globals: globalsOf(cmd), service, ...o }, deps, (e) => deps.io.out(o.json ? JSON.stringify(e) + '\n' : `${e.time}  ${e.kind.padEnd(9)}  ${e.message}\n`));
  });
}

function kinds(v: string): EventKind[] {
  const list = v.split(',').map((k) => k.trim());
  const bad = list.filter((k) => !KINDS.includes(k as EventKind));
  if (bad.length > 0) throw new InvalidArgumentError(`unknown event kind ${bad.join(', ')}; kinds: ${KINDS.join(', ')}`);
  return list as EventKind[];
}

export async function run(opts: EventsOptions, deps: CliDeps, each: (e: SchedulerEvent) => void): Promise<void> {
  const file = (await deps.launcher()).schedulerLog(await serviceName(opts, deps));
  const wanted = (e: SchedulerEvent | undefined): e is SchedulerEvent => !!e && (!opts.kind || opts.kind.includes(e.kind));
  const split = lineSplitter();
  let first = true;
  for await (const text of readLogFile(file, { follow: opts.follow, signal: opts.signal })) {
    let events = split(text).map(eventOf).filter(wanted);
    if (first && opts.lines !== undefined) events = opts.lines === 0 ? [] : events.slice(-opts.lines);
    first = false;
    for (const e of events) each(e);
  }
}

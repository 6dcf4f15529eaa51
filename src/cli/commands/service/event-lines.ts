// The scheduler's log lines that are events an operator looks for, recognised by the wording the
// scheduler writes them with (src/scheduler: offers, recovery, operator actions; src/launcher:
// plan transitions). The log is the source: it survives scheduler restarts and a DOWN scheduler,
// and holds times already. Lines that are not events (startup chatter, stack traces) are skipped.

export type EventKind = 'scheduler' | 'launch' | 'failure' | 'finish' | 'kill' | 'replace' | 'placement' | 'plan' | 'uninstall';

export interface SchedulerEvent {
  /** ISO time the scheduler wrote the line. */
  readonly time: string;
  readonly kind: EventKind;
  readonly message: string;
}

const RULES: ReadonlyArray<readonly [RegExp, EventKind]> = [
  [/^scheduler for \S+ serving /, 'scheduler'],
  [/^(scheduler|supervise) failed: /, 'failure'],
  [/^launching \S+ on /, 'launch'],
  [/^launch of \S+ failed: /, 'failure'],
  [/^step \S+ failed: /, 'failure'],
  [/^step \S+: not placed /, 'placement'],
  [/^task \S+ TASK_FINISHED\b/, 'finish'],
  [/^task \S+ TASK_KILLED\b/, 'kill'],
  [/^task \S+ TASK_\w+\b/, 'failure'], // FAILED, ERROR, LOST, GONE, DROPPED
  [/^essential task \S+ failed: /, 'kill'],
  [/^\w+ of \S+: killed /, 'kill'], // restart of hello-0: killed ..., replace of ...
  [/ has been failing for \d+ s: replacing /, 'replace'],
  [/^agent \S+ of \S+ is gone: replacing /, 'replace'],
  [/^replace of \S+ failed: /, 'failure'],
  [/^plan \S+: (\w+ )?-> \w+$/, 'plan'],
  [/^uninstall complete$/, 'uninstall'],
];

const LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (.*)$/;

/** The event a log line records, or undefined. */
export function eventOf(line: string): SchedulerEvent | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const rule = RULES.find(([re]) => re.test(m[2]));
  return rule ? { time: m[1], kind: rule[1], message: m[2] } : undefined;
}

/** Splits text into whole lines, keeping an unfinished last line for the next chunk. */
export function lineSplitter(): (chunk: string) => string[] {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    return parts;
  };
}

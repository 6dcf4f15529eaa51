// The colour scheme renderers take. Every function is the identity when colour is off, so renderers
// never branch on colour and their plain output is byte-identical; chalk loads only when colour is on.

export type Paint = (text: string) => string;

export interface Colors {
  readonly enabled: boolean;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly red: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
  /** A plan, step, pod or task status word in the colour of what it means. */
  readonly status: Paint;
}

type Tone = 'green' | 'yellow' | 'red' | 'dim';

/** What a status word means: done, working, failed, or waiting its turn. Others stay uncoloured. */
const TONE: Readonly<Record<string, Tone>> = {
  COMPLETE: 'green',
  RUNNING: 'green',
  FINISHED: 'green',
  IN_PROGRESS: 'yellow',
  PREPARED: 'yellow',
  STARTING: 'yellow',
  STARTED: 'yellow',
  STAGING: 'yellow',
  PAUSING: 'yellow',
  KILLING: 'yellow',
  DEPLOYING: 'yellow',
  RECOVERING: 'yellow',
  UNINSTALLING: 'yellow',
  ERROR: 'red',
  FAILED: 'red',
  FAILING: 'red',
  LOST: 'red',
  GONE: 'red',
  DROPPED: 'red',
  DOWN: 'red',
  STOPPED: 'dim',
  PENDING: 'dim',
  WAITING: 'dim',
  DELAYED: 'dim',
};

export const toneOf = (status: string): Tone | undefined => TONE[status];

const identity: Paint = (t) => t;

function scheme(enabled: boolean, p: Record<Tone | 'bold', Paint>): Colors {
  return { enabled, ...p, status: (s) => (TONE[s] ? p[TONE[s]](s) : s) };
}

export const noColors: Colors = scheme(false, { green: identity, yellow: identity, red: identity, dim: identity, bold: identity });

/** The chalk-backed scheme (basic 16 colours, which every terminal shows). */
export async function chalkColors(): Promise<Colors> {
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return scheme(true, { green: (t) => c.green(t), yellow: (t) => c.yellow(t), red: (t) => c.red(t), dim: (t) => c.dim(t), bold: (t) => c.bold(t) });
}

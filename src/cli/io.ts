// Every terminal fact in one place: where output goes, whether it is a TTY, colour, prompts,
// spinners. Commands write through it and never touch process.* themselves.
import { chalkColors, noColors, type Colors } from './render/colors.js';

export interface Spinner {
  update(text: string): void;
  stop(finalLine?: string): void;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly isStdoutTTY: boolean;
  readonly canPrompt: boolean;
  readonly colorEnabled: boolean;
  /** The colour scheme for renderers: chalk when colorEnabled, identity functions otherwise. */
  colors(): Promise<Colors>;
  /** A spinner on stderr when both streams are TTYs; otherwise progress lines on stderr, deduplicated. */
  spinner(label: string): Promise<Spinner>;
  /** Calls `stop` on Ctrl-C or Ctrl-\ (SIGINT, SIGQUIT) until the returned function is called. */
  onInterrupt(stop: () => void): () => void;
}

export function processIo(env: Readonly<Record<string, string | undefined>> = process.env): Io {
  const isStdoutTTY = !!process.stdout.isTTY;
  const isStderrTTY = !!process.stderr.isTTY;
  const colorEnabled = isStdoutTTY && !env.NO_COLOR; // no-color.org: set and non-empty
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    isStdoutTTY,
    canPrompt: !!process.stdin.isTTY && isStdoutTTY,
    colorEnabled,
    colors: () => (colorEnabled ? chalkColors() : Promise.resolve(noColors)),
    async spinner(label) {
      // a terminal that reports no width (a pty nobody sized) sends ora's redraw into an endless loop
      if (!(isStdoutTTY && isStderrTTY) || !(process.stderr.columns > 0)) return lineSpinner((t) => process.stderr.write(t), label);
      const { default: ora } = await import('ora');
      // discardStdin would put the terminal in raw mode, where Ctrl-C and Ctrl-\ send no signal
      const s = ora({ text: label, stream: process.stderr, ...spinnerStyle(env), isEnabled: true, discardStdin: false }).start();
      return {
        update: (text) => void (s.text = text),
        stop: (finalLine) => (finalLine ? s.succeed(finalLine) : s.stop()),
      };
    },
    onInterrupt(stop) {
      const signals = ['SIGINT', 'SIGQUIT'] as const;
      for (const sig of signals) process.on(sig, stop);
      return () => signals.forEach((sig) => process.off(sig, stop));
    },
  };
}

/** The spinner's colour: none when NO_COLOR is set (no-color.org), as for everything else. */
export function spinnerStyle(env: Readonly<Record<string, string | undefined>>): { color: 'cyan' | false } {
  return { color: env.NO_COLOR ? false : 'cyan' };
}

/** Progress for logs and pipes: one line per change of text. */
export function lineSpinner(write: (t: string) => void, label: string): Spinner {
  let last = '';
  const line = (t: string) => {
    if (t !== last) write(`${t}\n`);
    last = t;
  };
  line(label);
  return { update: line, stop: (finalLine) => finalLine && line(finalLine) };
}

/** An Io that records everything, for tests; `color` turns the chalk scheme on (needs `tty`); `interrupt()` is a Ctrl-C. */
export function testIo(opts: { tty?: boolean; color?: boolean } = {}): Io & { stdout: () => string; stderr: () => string; interrupt: () => void } {
  const colorEnabled = !!opts.tty && !!opts.color;
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isStdoutTTY: !!opts.tty,
    canPrompt: !!opts.tty,
    colorEnabled,
    colors: () => (colorEnabled ? chalkColors() : Promise.resolve(noColors)),
    spinner: async (label) => lineSpinner((t) => (err += t), label),
    onInterrupt(stop) {
      listeners.add(stop);
      return () => listeners.delete(stop);
    },
    interrupt: () => [...listeners].forEach((l) => l()),
    stdout: () => out,
    stderr: () => err,
  };
}

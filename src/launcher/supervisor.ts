// Keeps the scheduler process alive: restarts it with backoff after a crash, stops when it exits 0
// (uninstall finished) or when the supervisor itself is told to stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { pidFiles, writePidFile } from '../util/process-ref.js';

/**
 * V8 flags of the scheduler process: a small young generation and an old-space ceiling make V8
 * collect before it grows (about 80 MB of RSS with 1,000 tasks instead of 105; live heap is ~4 KB a
 * task, so the ceiling leaves room for tens of thousands). SVC_SCHEDULER_NODE_FLAGS overrides them.
 */
export const SCHEDULER_NODE_FLAGS = (process.env.SVC_SCHEDULER_NODE_FLAGS ?? '--max-old-space-size=192 --max-semi-space-size=1').split(' ').filter(Boolean);

/** The scheduler's exit code for a failure restarting cannot fix (e.g. corrupt state). */
export const FATAL_EXIT = 78;

const MIN_BACKOFF_MS = 100;
/** SVC_MAX_RESTART_BACKOFF_MS lowers the cap (fault-injection tests kill the scheduler on purpose). */
const MAX_BACKOFF_MS = Number(process.env.SVC_MAX_RESTART_BACKOFF_MS) || 10_000;
/** A scheduler that ran this long before dying is restarted at once; quicker deaths back off (a crash loop). */
const HEALTHY_RUN_MS = 1_000;

export async function supervise(dir: string): Promise<void> {
  writePidFile(join(dir, 'supervisor.pid'));
  let child: ChildProcess | undefined;
  let stopping = false;
  const stop = () => {
    stopping = true;
    child?.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let backoff = MIN_BACKOFF_MS;
  for (;;) {
    const log = openSync(join(dir, 'scheduler.log'), 'a');
    const started = Date.now();
    child = spawn(process.execPath, [...SCHEDULER_NODE_FLAGS, process.argv[1], 'scheduler', dir], { stdio: ['ignore', log, log], cwd: dir });
    closeSync(log);
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child?.once('exit', (c, s) => resolve({ code: c, signal: s })),
    );
    if (code === 0 || stopping) break;
    if (code === FATAL_EXIT) {
      writeFileAtomic(join(dir, 'failed'), `the scheduler cannot start; see ${join(dir, 'scheduler.log')}\n`);
      process.stderr.write(`${new Date().toISOString()} scheduler failed fatally; not restarting it\n`);
      break;
    }
    const ran = Date.now() - started;
    backoff = ran > HEALTHY_RUN_MS ? MIN_BACKOFF_MS : Math.min(MAX_BACKOFF_MS, backoff * 2);
    process.stderr.write(`${new Date().toISOString()} scheduler exited (${signal ?? `code ${code}`}) after ${ran} ms; restarting in ${backoff} ms\n`);
    await new Promise((r) => setTimeout(r, backoff));
    if (stopping) break;
  }
  for (const f of pidFiles(join(dir, 'supervisor.pid'))) rmSync(f, { force: true });
}

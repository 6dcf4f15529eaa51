// Entry point of the service daemons: `node dist/daemon.js supervise|scheduler <service-dir>`.
// The supervisor is what `svc install` starts detached; it keeps the scheduler alive.
// Each mode loads only its own code: the supervisor starts ~80 ms sooner without the scheduler's.
import { resolve } from 'node:path';
import { StateCorruptError } from '../state/file-persister.js';
import { FATAL_EXIT } from './supervisor.js';

const [mode, dir] = process.argv.slice(2);
if (!dir || (mode !== 'supervise' && mode !== 'scheduler')) {
  process.stderr.write('usage: daemon supervise|scheduler <service-dir>\n');
  process.exit(2);
}
const run = mode === 'supervise' ? (await import('./supervisor.js')).supervise : (await import('./scheduler-process.js')).runScheduler;
run(resolve(dir)).catch((e: Error) => {
  process.stderr.write(`${new Date().toISOString()} ${mode} failed: ${e.stack ?? e.message}\n`);
  // bad state does not heal by restarting: tell the supervisor to give up and say why
  process.exit(e instanceof StateCorruptError ? FATAL_EXIT : 1);
});

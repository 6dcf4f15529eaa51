// The entry of the lean path (dist/fast.cjs): bin/svc calls `run`, and loads the full program
// (dist/svc.js) when it returns undefined.
import { fastMain } from './fast.js';

export async function run(argv: readonly string[]): Promise<number | undefined> {
  // `svc … | head` closes our stdout early: that is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  return fastMain(argv);
}

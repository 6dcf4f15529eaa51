// The process entry of `svc` (bin/svc → dist/svc.js): runs main and applies its exit code.
import { main } from './main.js';

// `svc … | head` closes our stdout early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv).then((code) => {
  process.exitCode = code;
});

// Entry point of a detached executor process: `node dist/executor.js <executor-dir>`.
import { resolve } from 'node:path';
import { Executor } from './executor.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: executor <executor-dir>\n');
  process.exit(2);
}
const executor = new Executor(resolve(dir));
const stop = () => void executor.stopAll().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
executor.listen().catch((e: Error) => {
  process.stderr.write(`executor: cannot listen: ${e.message}\n`);
  process.exit(1);
});

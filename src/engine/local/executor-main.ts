// Entry point of a detached agent host: `node dist/executor.js <agent-dir>`.
import { resolve } from 'node:path';
import { AgentHost } from './agent-host.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: executor <agent-dir>\n');
  process.exit(2);
}
const host = new AgentHost(resolve(dir));
const stop = () => void host.stopAll();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
host.listen().catch((e: Error) => {
  process.stderr.write(`executor host: cannot listen: ${e.message}\n`);
  process.exit(1);
});

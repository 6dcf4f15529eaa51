// Entry point of a detached agent host: `node dist/executor.js <agent-dir>`.
import { dirname, resolve } from 'node:path';
import { openChannel } from './channel.js';
import { AgentHost } from './agent-host.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: executor <agent-dir>\n');
  process.exit(2);
}
// the agent folder is <service home>/agents/<id>: the service's channel is found from it
const agentDir = resolve(dir);
let host: AgentHost;
try {
  host = new AgentHost(agentDir, openChannel(dirname(dirname(agentDir)), false));
} catch (e) {
  process.stderr.write(`executor host: ${(e as Error).message}\n`);
  process.exit(1);
}
const stop = () => void host.stopAll();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
host.listen().catch((e: Error) => {
  process.stderr.write(`executor host: cannot listen: ${e.message}\n`);
  process.exit(1);
});

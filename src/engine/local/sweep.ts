// Forced clean-up of a local engine folder (uninstall's last resort, scheduler or not): SIGKILL to
// every executor host and executor, to the process group of every task its journal last saw alive,
// to every exec still running in a task's cgroup; then the service's cgroups are removed.
import { join } from 'node:path';
import { readPid } from '../../util/fs.js';
import { endCgroup, execCgroupsUnder } from './exec-cgroup.js';
import { liveJournalTasks } from './journal.js';
import { removeCgroups } from './limits.js';
import { executorPid, hostAlive } from './local-engine.js';
import { EXECUTOR_FILES } from './protocol.js';
import { ls } from './task-files.js';

/** Where the executors make task cgroups (cgroup v1 memory, or v2). */
const CGROUP_PARENTS = ['/sys/fs/cgroup/memory/svc', '/sys/fs/cgroup/svc'];

export async function sweepEngineFolder(root: string, taskIdPrefix: string): Promise<void> {
  const agents = join(root, 'agents');
  for (const agent of ls(agents)) {
    const agentDir = join(agents, agent);
    // pid files can outlive their process: kill only a live host of this very agent
    const host = readPid(join(agentDir, EXECUTOR_FILES.pid));
    if (hostAlive(agentDir, host)) killPid(host ?? 0);
    for (const pod of ls(join(agentDir, 'executors'))) {
      const dir = join(agentDir, 'executors', pod);
      const pid = executorPid(dir);
      if (pid) killPid(pid);
      for (const t of liveJournalTasks(dir)) if (t.pid) killPid(-t.pid);
    }
  }
  for (const parent of CGROUP_PARENTS) {
    for (const task of ls(parent)) {
      if (!task.startsWith(taskIdPrefix)) continue;
      await Promise.all(execCgroupsUnder(join(parent, task)).map(endCgroup));
    }
  }
  removeCgroups(taskIdPrefix);
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

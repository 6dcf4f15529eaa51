// Forced clean-up of a local engine folder (uninstall's last resort, scheduler or not): SIGKILL to
// every executor host and executor, to the process group of every task its journal last saw alive,
// to every exec still running in a task's cgroup; then the service's containers, pod network
// namespaces (and its home's bridge, when no other service uses it) and cgroups are removed.
import { dirname, join } from 'node:path';
import { readPidRef, signalGroup, signalProcess } from '../../util/process-ref.js';
import { removeRuntimeDir } from './channel.js';
import { reapAllContainers } from './container.js';
import { endCgroup, execCgroupsUnder } from './exec-cgroup.js';
import { journaledTaskIds, liveJournalTasks } from './journal.js';
import { removeCgroups } from './limits.js';
import { sweepPodNetworks } from './pod-network.js';
import { EXECUTOR_FILES } from './protocol.js';
import { ls } from './task-files.js';

/** Where the executors make task cgroups (cgroup v1 memory, or v2). */
const CGROUP_PARENTS = ['/sys/fs/cgroup/memory/svc', '/sys/fs/cgroup/svc'];

export async function sweepEngineFolder(root: string): Promise<void> {
  const agents = join(root, 'agents');
  // this home's task ids, exactly: cgroup names are machine-wide, and a service of the same name
  // may run from another $SVC_HOME
  const taskIds = new Set<string>();
  for (const agent of ls(agents)) {
    const agentDir = join(agents, agent);
    // pid files and journals can outlive their processes (a reboot): signal only the very process
    // each was written by, and a host only when it serves this agent
    signalProcess(readPidRef(join(agentDir, EXECUTOR_FILES.pid)), 'SIGKILL', `${agentDir}\0`);
    for (const pod of ls(join(agentDir, 'executors'))) {
      const dir = join(agentDir, 'executors', pod);
      signalProcess(readPidRef(join(dir, EXECUTOR_FILES.pid)), 'SIGKILL', `${agentDir}\0`);
      for (const t of liveJournalTasks(dir)) signalGroup(t.ref, 'SIGKILL');
      for (const id of journaledTaskIds(dir)) taskIds.add(id);
    }
  }
  for (const parent of CGROUP_PARENTS) {
    for (const task of ls(parent)) {
      if (!taskIds.has(task)) continue;
      await Promise.all(execCgroupsUnder(join(parent, task)).map(endCgroup));
    }
  }
  reapAllContainers(root);
  sweepPodNetworks(dirname(root), root); // the namespaces once nothing runs in them; the bridge if no other service uses it
  removeCgroups(taskIds);
  removeRuntimeDir(root);
}

// Options install and run share: where the service comes from, and the local engine's agents.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { usageError } from '../../errors.js';
import type { LaunchOptions } from '../../launcher-port.js';
import { positiveInt, positiveNumber } from '../shared.js';

export interface SourceFlags {
  agents?: number;
  agentsFile?: string;
  agentCpus?: number;
  agentMem?: number;
  options?: string;
  spec?: string;
  bind?: string;
  permanentFailureTimeout?: number;
}

export function sourceOptions(cmd: Command): Command {
  return cmd
    .argument('<spec>', 'svc.yml file, or a folder holding svc.yml, or a package folder')
    .option('--agents <n>', 'number of virtual agents (default 3)', positiveInt)
    .option('--agents-file <file>', 'the agents one by one (JSON array of {zone, region, attributes, cpus, mem, disk}), for placement rules')
    .option('--agent-cpus <n>', 'cpus of each agent (default 4)', positiveNumber)
    .option('--agent-mem <mb>', 'memory of each agent in MB (default 8192)', positiveNumber)
    .option('--options <file>', 'package options (JSON), for a package folder')
    .option('--spec <file>', "for a package folder: the service spec to render, when it is not the folder's svc.yml")
    .option('--bind <ip>', 'address the API listens on (default 127.0.0.1)')
    .option('--permanent-failure-timeout <seconds>', 'replace a pod on fresh resources once a task has kept failing this long (default: never)', positiveInt);
}

/** The flags read into the launcher's options (files read, --agents checked against --agents-file). */
export async function launchOptions(o: SourceFlags, deps: CliDeps): Promise<LaunchOptions> {
  const launcher = await deps.launcher();
  const agentSettings = o.agentsFile ? launcher.readAgentsFile(o.agentsFile) : undefined;
  if (agentSettings && o.agents !== undefined && o.agents !== agentSettings.length) {
    throw usageError(`--agents ${o.agents} conflicts with --agents-file ${o.agentsFile}, which describes ${agentSettings.length} agent(s)`);
  }
  return {
    agentSettings,
    agents: o.agents,
    agentCpus: o.agentCpus,
    agentMem: o.agentMem,
    bind: o.bind,
    permanentFailureTimeout: o.permanentFailureTimeout,
    options: o.options ? launcher.readOptions(o.options) : undefined,
    specFile: o.spec,
  };
}

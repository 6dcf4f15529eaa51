// Options install and run share: where the service comes from, the local engine's agents, the Kubernetes engine's cluster.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { usageError } from '../../errors.js';
import type { LaunchOptions } from '../../launcher-port.js';
import { positiveInt, positiveNumber } from '../shared.js';

export interface SourceFlags {
  engine?: string;
  agents?: number;
  agentsFile?: string;
  agentCpus?: number;
  agentMem?: number;
  options?: string;
  spec?: string;
  buildVar?: Record<string, string>;
  bind?: string;
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  insecure?: boolean;
  permanentFailureTimeout?: number;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  defaultImage?: string;
  nodeSelector?: Record<string, string>;
  storageClass?: string;
  insecureRegistry?: string[];
}

/** `--node-selector key=value`, collected into one map (checked as labels by the launcher). */
const nodeSelector = (v: string, all: Record<string, string> | undefined) => {
  const eq = v.indexOf('=');
  if (eq <= 0) throw usageError(`--node-selector ${JSON.stringify(v)}: expected key=value, e.g. topology.kubernetes.io/zone=eu-1a`);
  return { ...all, [v.slice(0, eq)]: v.slice(eq + 1) };
};

/** The Kubernetes engine's flags (install, run and attach). */
export function kubernetesOptions(cmd: Command): Command {
  return cmd
    .option('--kubeconfig <file>', 'kubernetes: the kubeconfig (default: $KUBECONFIG, ~/.kube/config)')
    .option('--context <name>', "kubernetes: the kubeconfig's context (default: its current one)")
    .option('--namespace <name>', 'kubernetes: the namespace of the pods, volumes and state (default "default")')
    .option('--default-image <image>', 'kubernetes: the image of pods whose spec names none (default busybox:1.36)')
    .option('--node-selector <key=value>', 'kubernetes: only nodes with this label are agents; repeatable', nodeSelector)
    .option('--storage-class <name>', "kubernetes: the storage class of the volumes' PVCs (default: the cluster's default)");
}

/** The Kubernetes flags as given, for the launcher to check; undefined when none is. */
export function kubernetesFlags(o: SourceFlags) {
  const f = { kubeconfig: o.kubeconfig, context: o.context, namespace: o.namespace, defaultImage: o.defaultImage, nodeSelector: o.nodeSelector, storageClass: o.storageClass };
  return Object.values(f).some((v) => v !== undefined) ? f : undefined;
}

/** A repeatable flag's values, in order (checked by the launcher). */
const collect = (v: string, all: string[] | undefined) => [...(all ?? []), v];

/** `--build-var name=value`, collected into one map; a dashed lower-case name, as the placeholders are. */
export const buildVar = (v: string, all: Record<string, string> | undefined) => {
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)=(.*)$/s.exec(v);
  if (!m) throw usageError(`--build-var ${JSON.stringify(v)}: expected name=value, e.g. artifact-dir=https://example.org/artifacts`);
  return { ...all, [m[1]]: m[2] };
};

export function sourceOptions(cmd: Command): Command {
  return kubernetesOptions(
    cmd.argument('<spec>', 'svc.yml file, or a folder holding svc.yml, or a package folder').option('--engine <kind>', 'what runs the tasks: local (virtual agents on this machine, the default) or kubernetes (pods on a cluster)'),
  )
    .option('--agents <n>', 'number of virtual agents (default 3)', positiveInt)
    .option('--agents-file <file>', 'the agents one by one (JSON array of {zone, region, attributes, cpus, mem, disk}), for placement rules')
    .option('--agent-cpus <n>', 'cpus of each agent (default 4)', positiveNumber)
    .option('--agent-mem <mb>', 'memory of each agent in MB (default 8192)', positiveNumber)
    .option('--options <file>', 'package options (JSON), for a package folder')
    .option('--spec <file>', "for a package folder: the service spec to render, when it is not the folder's svc.yml")
    .option('--build-var <name=value>', 'for a package that is a build template: the value of a build placeholder ({{artifact-dir}}, ...); repeatable', buildVar)
    .option('--bind <ip>', 'address the API listens on (default 127.0.0.1); beyond loopback it needs --tls, --tls-cert/--tls-key or --insecure')
    .option('--tls', "serve the API over HTTPS with a certificate from svc's CA (svc tls ca); svc trusts it without flags")
    .option('--tls-cert <file>', 'serve the API over HTTPS with this certificate (PEM); with --tls-key')
    .option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
    .option('--insecure', 'accept serving the API over plain HTTP on a non-loopback --bind')
    .option('--permanent-failure-timeout <seconds>', 'replace a pod on fresh resources once a task has kept failing this long (default: never)', positiveInt)
    .option('--insecure-registry <host[:port]>', 'local: pull images from this registry over plain HTTP (loopback registries always are); repeatable', collect);
}

/** The flags read into the launcher's options (files read, --agents checked against --agents-file). */
export async function launchOptions(o: SourceFlags, deps: CliDeps): Promise<LaunchOptions> {
  const launcher = await deps.launcher();
  const agentSettings = o.agentsFile ? launcher.readAgentsFile(o.agentsFile) : undefined;
  if (agentSettings && o.agents !== undefined && o.agents !== agentSettings.length) {
    throw usageError(`--agents ${o.agents} conflicts with --agents-file ${o.agentsFile}, which describes ${agentSettings.length} agent(s)`);
  }
  return {
    engine: o.engine,
    agentSettings,
    agents: o.agents,
    agentCpus: o.agentCpus,
    agentMem: o.agentMem,
    bind: o.bind,
    insecure: o.insecure,
    tls: o.tls,
    tlsCert: o.tlsCert,
    tlsKey: o.tlsKey,
    permanentFailureTimeout: o.permanentFailureTimeout,
    options: o.options ? launcher.readOptions(o.options) : undefined,
    specFile: o.spec,
    buildVars: o.buildVar,
    kubernetesFlags: kubernetesFlags(o),
    insecureRegistries: o.insecureRegistry,
  };
}

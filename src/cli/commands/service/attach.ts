// svc attach <service> --engine kubernetes: on another machine with the same kubeconfig, brings a
// scheduler back for a service that already runs on the cluster, adopting its pods.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { examples } from '../shared.js';
import { kubernetesFlags, kubernetesOptions, type SourceFlags } from './source-options.js';

export interface AttachOptions extends Pick<SourceFlags, 'engine' | 'kubeconfig' | 'context' | 'namespace' | 'defaultImage' | 'nodeSelector' | 'storageClass'> {
  service: string;
}

export function register(program: Command, deps: CliDeps): void {
  examples(
    kubernetesOptions(
      program
        .command('attach')
        .description("start a scheduler on this machine for a service already running on a cluster (its state is read from the cluster; its pods are adopted)")
        .argument('<service>', 'service name, as installed')
        .option('--engine <kind>', 'where the service runs: kubernetes'),
    ),
    'svc attach memcache --engine kubernetes --namespace prod',
    'svc attach hello-world --engine kubernetes --kubeconfig ~/.kube/other --context staging',
  ).action(async (service: string, o: Omit<AttachOptions, 'service'>) => {
    await run({ ...o, service }, deps);
  });
}

export async function run(opts: AttachOptions, deps: CliDeps): Promise<{ name: string; url: string }> {
  const { attach } = await import('../../../launcher/attach.js');
  const { home, client } = await attach(deps.svcHome(), opts.service, { engine: opts.engine, kubernetesFlags: kubernetesFlags(opts) });
  deps.io.err(`service ${home.name} attached; scheduler at ${client.baseUrl}\n`);
  return { name: home.name, url: client.baseUrl };
}

// A simulated Kubernetes cluster for tests: the API server, its objects and a kubelet running every
// node's pods as local processes. `startKubeSim` returns its URL, a kubeconfig file for it and
// handles to take a node down or read the requests it served.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kubelet } from './kubelet.js';
import { ApiServerSim, type RecordedRequest } from './server.js';
import { ObjectStore } from './store.js';

export interface SimNode {
  readonly name: string;
  readonly ip: string;
  readonly zone?: string;
  readonly region?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly cpu?: string;
  readonly memory?: string;
}

export interface KubeSimOptions {
  /** Pod, PVC and kubeconfig files go here. */
  readonly root: string;
  readonly nodes: readonly SimNode[];
  readonly badImages?: readonly string[];
  /** Changes a watch can resume across; older resourceVersions get 410 Gone. */
  readonly historyLimit?: number;
}

export interface KubeSim {
  readonly url: string;
  readonly token: string;
  readonly kubeconfig: string;
  readonly store: ObjectStore;
  readonly kubelet: Kubelet;
  requests(): RecordedRequest[];
  /** Ends every open watch; clients must resume them. */
  endWatches(): void;
  close(): Promise<void>;
}

export async function startKubeSim(o: KubeSimOptions): Promise<KubeSim> {
  mkdirSync(o.root, { recursive: true });
  const store = new ObjectStore(o.historyLimit);
  for (const n of o.nodes) store.create('nodes', simNode(n));
  const kubelet = new Kubelet(store, { root: o.root, badImages: new Set(o.badImages ?? []) });
  const token = randomBytes(16).toString('hex');
  const server = new ApiServerSim(store, token, kubelet);
  const url = await server.listen();
  const kubeconfig = join(o.root, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: sim\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
      'users:',
      `- name: sim\n  user:\n    token: ${token}`,
      'contexts:',
      '- name: sim\n  context:\n    cluster: sim\n    user: sim\n    namespace: default',
      'current-context: sim',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return {
    url,
    token,
    kubeconfig,
    store,
    kubelet,
    requests: () => server.requests.slice(),
    endWatches: () => server.endWatches(),
    async close() {
      kubelet.stop();
      await server.close();
    },
  };
}

function simNode(n: SimNode) {
  const resources = { cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi', 'ephemeral-storage': '64Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      uid: '',
      resourceVersion: '',
      creationTimestamp: '',
      labels: {
        'kubernetes.io/hostname': n.name,
        'kubernetes.io/os': 'linux',
        ...(n.zone ? { 'topology.kubernetes.io/zone': n.zone } : {}),
        ...(n.region ? { 'topology.kubernetes.io/region': n.region } : {}),
        ...n.labels,
      },
    },
    spec: {},
    status: {
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
      capacity: resources,
      allocatable: resources,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    },
  };
}

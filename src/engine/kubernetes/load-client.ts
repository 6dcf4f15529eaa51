// Loads the official client on demand, never on the CLI's cold path: only a scheduler, sweep or
// attach of a service on this engine pays for it. Pinned to @kubernetes/client-node 1.x, which
// speaks HTTP through node-fetch and runs on Node 20; 2.x moved to undici 8, which wants Node >= 22.19.
export type KubeClient = typeof import('@kubernetes/client-node');

let loading: Promise<KubeClient> | undefined;

export function loadKubeClient(): Promise<KubeClient> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}

// Loads the official client on demand (never on the CLI's cold path). @kubernetes/client-node 2.x
// speaks HTTP through undici 8, which wants Node >= 22.19: on load it takes
// zlib.createZstdDecompress and worker_threads.markAsUncloneable, and calls Promise.withResolvers,
// all missing on Node 20. On an older Node they are filled in first: zstd answers are refused loudly (the API server sends
// gzip at most, and only when asked) and objects are simply not marked uncloneable.
import { createRequire } from 'node:module';

export type KubeClient = typeof import('@kubernetes/client-node');

let loading: Promise<KubeClient> | undefined;

export function loadKubeClient(): Promise<KubeClient> {
  loading ??= (async () => {
    fillNode20Gaps();
    return import('@kubernetes/client-node');
  })();
  return loading;
}

function fillNode20Gaps(): void {
  const require = createRequire(import.meta.url);
  const zlib = require('node:zlib') as Record<string, unknown>;
  if (typeof zlib.createZstdDecompress !== 'function') {
    zlib.createZstdDecompress = () => {
      throw new Error(`not supported: a zstd-encoded answer from the Kubernetes API on Node ${process.version} (zstd needs Node >= 22.15)`);
    };
  }
  const threads = require('node:worker_threads') as Record<string, unknown>;
  if (typeof threads.markAsUncloneable !== 'function') threads.markAsUncloneable = () => undefined;
  const P = Promise as unknown as Record<string, unknown>;
  if (typeof P.withResolvers !== 'function') {
    P.withResolvers = function withResolvers<T>() {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };
  }
}

// The scheduler's state, mirrored into the cluster so that a scheduler started elsewhere with the
// same kubeconfig can take the service over. The Persister the scheduler writes through stays
// synchronous and durable on this machine (its "durable when it returns" cannot wait for the
// network); every write then schedules a copy of the whole tree, gzipped, into one ConfigMap,
// written with optimistic concurrency. Writes that come while a copy is in flight are coalesced
// into the next one. A 409 means another writer: the lease was lost, so mirroring stops loudly.
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CoreV1Api, V1ConfigMap } from '@kubernetes/client-node';
import type { Op, Persister } from '../../state/index.js';
import { statusCode } from './cluster-state.js';
import { dnsName, LABEL, labelValue } from './names.js';

const KEY = 'state.json.gz';
/** A ConfigMap holds at most 1 MiB; leave room for its metadata. */
const MAX_BYTES = 1000 * 1024;

export const stateMirrorName = (service: string): string => dnsName(`${service}-svc-state`, 253);

export class StateMirror {
  private current?: V1ConfigMap;
  private running?: Promise<void>;
  private dirty = false;
  private stopped = false;

  constructor(
    private readonly core: CoreV1Api,
    private readonly namespace: string,
    private readonly service: string,
    private readonly source: Persister,
    private readonly log: (msg: string) => void,
  ) {}

  /** Reads the mirror's resourceVersion (so the first write replaces it rather than colliding). */
  async attach(): Promise<void> {
    try {
      this.current = await this.core.readNamespacedConfigMap({ name: stateMirrorName(this.service), namespace: this.namespace });
    } catch (e) {
      if (statusCode(e) !== 404) throw e;
    }
  }

  /** A Persister that writes here first, then has the mirror copy it. */
  persister(): Persister {
    return {
      get: (key) => this.source.get(key),
      keys: (prefix) => this.source.keys(prefix),
      apply: (ops: readonly Op[]) => {
        this.source.apply(ops);
        this.schedule();
      },
    };
  }

  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = this.copy().finally(() => {
      this.running = undefined;
      if (this.dirty) {
        this.dirty = false;
        this.schedule();
      }
    });
  }

  /** Resolves once every write so far is in the cluster (or mirroring stopped). */
  async flushed(): Promise<void> {
    while (this.running) await this.running;
  }

  private async copy(): Promise<void> {
    const tree: Record<string, string> = {};
    for (const k of this.source.keys('')) tree[k] = this.source.get(k) as string;
    const gz = gzipSync(JSON.stringify(tree));
    if (gz.length > MAX_BYTES) {
      this.log(`state mirror: the state is ${gz.length} bytes gzipped, more than a ConfigMap holds (${MAX_BYTES}); not mirrored`);
      return;
    }
    const body: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: stateMirrorName(this.service),
        labels: { [LABEL.managedBy]: 'svc', [LABEL.service]: labelValue(this.service) },
        ...(this.current ? { resourceVersion: this.current.metadata?.resourceVersion } : {}),
      },
      binaryData: { [KEY]: gz.toString('base64') },
    };
    try {
      this.current = this.current
        ? await this.core.replaceNamespacedConfigMap({ name: stateMirrorName(this.service), namespace: this.namespace, body })
        : await this.core.createNamespacedConfigMap({ namespace: this.namespace, body });
    } catch (e) {
      if (statusCode(e) === 409) {
        this.stopped = true;
        this.log(`state mirror: ${stateMirrorName(this.service)} was written by someone else (another scheduler?): mirroring stops`);
      } else {
        this.log(`state mirror: write failed, retried with the next change: ${(e as Error).message}`);
        this.dirty = true;
      }
    }
  }
}

/** The state tree last mirrored for a service, or undefined when there is none. */
export async function readMirroredState(core: CoreV1Api, namespace: string, service: string): Promise<Record<string, string> | undefined> {
  let cm: V1ConfigMap;
  try {
    cm = await core.readNamespacedConfigMap({ name: stateMirrorName(service), namespace });
  } catch (e) {
    if (statusCode(e) === 404) return undefined;
    throw e;
  }
  const data = cm.binaryData?.[KEY];
  if (!data) throw new Error(`${namespace}/${stateMirrorName(service)} has no ${KEY}: not a state mirror of svc`);
  return JSON.parse(gunzipSync(Buffer.from(data, 'base64')).toString('utf8')) as Record<string, string>;
}

// The simulated API server's objects: one resourceVersion counter for everything (as etcd's
// revision), a bounded history of changes so a watch can resume from a resourceVersion, and 410
// Gone for one older than the history holds.
import { randomUUID } from 'node:crypto';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  generateName?: string;
  [k: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // biome-ignore lint/suspicious/noExplicitAny: the wire format is open-ended JSON
  [k: string]: any;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  readonly rv: number;
  readonly resource: string;
  readonly type: EventType;
  readonly object: KubeObject;
}

/** A too-old resourceVersion: the history no longer holds what came after it. */
export class Expired extends Error {}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const key = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;

export class ObjectStore {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: Change[] = [];
  private readonly listeners = new Set<(c: Change) => void>();

  constructor(private readonly historyLimit = 1000) {}

  get resourceVersion(): string {
    return String(this.rv);
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let b = this.objects.get(resource);
    if (!b) this.objects.set(resource, (b = new Map()));
    return b;
  }

  list(resource: string, ns?: string): KubeObject[] {
    return [...this.bucket(resource).values()].filter((o) => ns === undefined || o.metadata.namespace === ns).map(clone);
  }

  get(resource: string, ns: string | undefined, name: string): KubeObject | undefined {
    const o = this.bucket(resource).get(key(ns, name));
    return o && clone(o);
  }

  create(resource: string, obj: KubeObject): KubeObject {
    const b = this.bucket(resource);
    const meta = obj.metadata;
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomUUID().slice(0, 5);
    if (b.has(key(meta.namespace, meta.name))) throw new ApiError(409, 'AlreadyExists', `${resource} "${meta.name}" already exists`);
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return this.commit(resource, 'ADDED', obj);
  }

  /** Replaces an object; a resourceVersion in `obj` must be the current one (optimistic concurrency). */
  update(resource: string, obj: KubeObject): KubeObject {
    const cur = this.bucket(resource).get(key(obj.metadata.namespace, obj.metadata.name));
    if (!cur) throw new ApiError(404, 'NotFound', `${resource} "${obj.metadata.name}" not found`);
    const want = obj.metadata.resourceVersion;
    if (want && want !== cur.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    obj.metadata.uid = cur.metadata.uid;
    obj.metadata.creationTimestamp = cur.metadata.creationTimestamp;
    if (cur.metadata.deletionTimestamp) {
      obj.metadata.deletionTimestamp = cur.metadata.deletionTimestamp;
      obj.metadata.deletionGracePeriodSeconds = cur.metadata.deletionGracePeriodSeconds;
    }
    return this.commit(resource, 'MODIFIED', obj);
  }

  /** Changes an object in place (the kubelet's and controllers' status writes). */
  mutate(resource: string, ns: string | undefined, name: string, change: (o: KubeObject) => void): KubeObject | undefined {
    const cur = this.bucket(resource).get(key(ns, name));
    if (!cur) return undefined;
    const next = clone(cur);
    change(next);
    return this.commit(resource, 'MODIFIED', next);
  }

  remove(resource: string, ns: string | undefined, name: string, last?: (o: KubeObject) => void): KubeObject | undefined {
    const b = this.bucket(resource);
    const cur = b.get(key(ns, name));
    if (!cur) return undefined;
    const gone = clone(cur);
    last?.(gone);
    b.delete(key(ns, name));
    gone.metadata.resourceVersion = String(++this.rv);
    this.record({ rv: this.rv, resource, type: 'DELETED', object: gone });
    return clone(gone);
  }

  private commit(resource: string, type: EventType, obj: KubeObject): KubeObject {
    const stored = clone(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    this.bucket(resource).set(key(stored.metadata.namespace, stored.metadata.name), stored);
    this.record({ rv: this.rv, resource, type, object: clone(stored) });
    return clone(stored);
  }

  private record(c: Change): void {
    this.history.push(c);
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
    for (const l of this.listeners) l(c);
  }

  /** The changes after `rv`; Expired when the history starts later than that. */
  since(rv: number): Change[] {
    const oldest = this.history[0]?.rv ?? this.rv + 1;
    if (rv + 1 < oldest && rv < this.rv) throw new Expired(`too old resource version: ${rv} (${oldest - 1})`);
    return this.history.filter((c) => c.rv > rv);
  }

  /** Forgets the history (as a compaction does): every watch resuming from before now gets 410. */
  compact(): void {
    this.history.splice(0, this.history.length);
    this.rv++;
  }

  subscribe(l: (c: Change) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

const clone = <T>(o: T): T => structuredClone(o);

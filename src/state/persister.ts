// A key → value tree with atomic multi-key transactions (keys are '/'-separated paths, like
// ZooKeeper nodes). Values are strings; stores above it keep JSON in them.

export type Op = { readonly set: string; readonly value: string } | { readonly delete: string };

export interface Persister {
  get(key: string): string | undefined;
  /** Keys directly or indirectly under `prefix` (which should end with '/'). */
  keys(prefix: string): string[];
  /** Applies all ops or none; durable when it returns. */
  apply(ops: readonly Op[]): void;
}

export class MemoryPersister implements Persister {
  protected data = new Map<string, string>();
  get(key: string): string | undefined {
    return this.data.get(key);
  }
  keys(prefix: string): string[] {
    return [...this.data.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
  apply(ops: readonly Op[]): void {
    for (const op of ops) {
      if ('set' in op) this.data.set(op.set, op.value);
      else for (const k of [...this.data.keys()]) if (k === op.delete || k.startsWith(op.delete + '/')) this.data.delete(k);
    }
  }
}

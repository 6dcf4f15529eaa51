// Choosing the target config at start-up: a new candidate becomes the target only if the update
// rules accept it against the stored target; otherwise the old target stays and the deploy plan
// carries the errors. Tasks whose pod spec did not change are relabelled, so they are not redeployed.
// Then configs neither the target nor named by a task are deleted: each update would otherwise keep a
// full spec forever (as the original's DefaultConfigurationUpdater cleans up unused configs).
import { canonicalJson, configId, validateConfigUpdate, type PodSpec, type ServiceSpec } from '../spec/index.js';
import type { StateStore } from '../state/index.js';

export interface Target {
  readonly spec: ServiceSpec;
  readonly configId: string;
  /** Why a candidate config was rejected (shown in the deploy plan's errors). */
  readonly errors: readonly string[];
}

export function chooseTarget(store: StateStore, candidate: ServiceSpec): Target {
  const id = configId(candidate);
  const oldId = store.targetConfigId();
  const oldJson = oldId && oldId !== id ? store.config(oldId) : undefined;
  if (oldId && oldJson) {
    const old = JSON.parse(oldJson) as ServiceSpec;
    const issues = validateConfigUpdate(old, candidate);
    if (issues.length > 0) {
      collectUnusedConfigs(store);
      return { spec: old, configId: oldId, errors: issues.map((i) => `config update rejected: ${i.path}: ${i.message}`) };
    }
  }
  store.storeTargetConfig(id, JSON.stringify(candidate));
  relabelUnchanged(store, candidate, id);
  collectUnusedConfigs(store);
  return { spec: candidate, configId: id, errors: [] };
}

/** Deletes every stored config but the target and those a task still runs (or last ran) under. */
export function collectUnusedConfigs(store: StateStore): string[] {
  const keep = new Set(store.tasks().map((t) => t.configId));
  const target = store.targetConfigId();
  if (target) keep.add(target);
  return store.deleteConfigsExcept(keep);
}

/** A pod spec minus what does not require relaunching its instances. */
const podKey = (pod: PodSpec | undefined) => (pod ? canonicalJson({ ...pod, count: 0, placement: null, constraints: null, allowDecommission: null }) : '');

function relabelUnchanged(store: StateStore, target: ServiceSpec, targetId: string): void {
  const specs = new Map<string, ServiceSpec | undefined>();
  const specOf = (id: string) => {
    if (!specs.has(id)) {
      const json = store.config(id);
      specs.set(id, json ? (JSON.parse(json) as ServiceSpec) : undefined);
    }
    return specs.get(id);
  };
  for (const rec of store.tasks()) {
    if (rec.configId === targetId) continue;
    const before = specOf(rec.configId)?.pods.find((p) => p.name === rec.podType);
    const now = target.pods.find((p) => p.name === rec.podType);
    if (before && now && podKey(before) === podKey(now)) store.storeTask({ ...rec, configId: targetId });
  }
}

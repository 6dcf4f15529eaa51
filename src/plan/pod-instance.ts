// The names of pod instances and their tasks, built and parsed here only: a pod instance is
// `<pod type>-<index>` (`hello-world-0`), its tasks `<pod type>-<index>-<task>`. Pod types may hold
// dashes, so a name is parsed from its end, and a pod type is compared whole, never as a prefix.

export interface PodInstanceRef {
  readonly podType: string;
  readonly index: number;
}

export const podInstanceName = (podType: string, index: number): string => `${podType}-${index}`;

/** The pod instance a stored task or pod record belongs to. */
export const instanceOf = (ref: { readonly podType: string; readonly podIndex?: number; readonly index?: number }): string =>
  podInstanceName(ref.podType, ref.podIndex ?? ref.index ?? -1);

export const taskFullName = (instance: string, task: string): string => `${instance}-${task}`;

/** `hello-world-0` → { podType: 'hello-world', index: 0 }; undefined when the name has no index. */
export function parsePodInstance(name: string): PodInstanceRef | undefined {
  const m = /^(.+)-(0|[1-9]\d*)$/.exec(name);
  return m ? { podType: m[1], index: Number(m[2]) } : undefined;
}

/** The pod type of a pod instance name, or undefined when it is not one. */
export const podTypeOf = (instance: string): string | undefined => parsePodInstance(instance)?.podType;

// Resource sets: cpus, gpus, memory, ports, volume(s), resource-limits — declared under a pod's
// `resource-sets:` or implicit in a task (`<task>-resource-set`). Also pod-level volumes.
import { Reader, type Raw, describe } from './raw.js';
import { segmentProblem } from './path-names.js';
import type { PortRange, PortSpec, ResourceLimit, ResourceLimitsSpec, ResourceSetSpec, VolumeSpec } from './types.js';

export const RESOURCE_FIELDS = ['cpus', 'gpus', 'memory', 'ports', 'volume', 'volumes', 'resource-limits'] as const;

const VOLUME_PATH = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const PROFILE = /^[A-Za-z0-9_.-]{1,128}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads the resource fields of `r` (a declared set, or a task without `resource-set`). */
export function convertResourceSet(id: string, declared: boolean, r: Reader): ResourceSetSpec {
  const cpus = r.num('cpus', 0, { above: 0 });
  const gpus = r.num('gpus', 0, { above: 0 });
  const memory = r.num('memory', 0, { above: 0 });
  const ports = convertPorts(r);
  if (r.has('volume') && r.has('volumes')) r.fail('volumes', 'may not be given together with "volume"');
  const volumes = convertVolumes(r);
  if (!r.has('cpus') && !r.has('gpus') && !r.has('memory') && ports.length === 0) {
    r.failHere(`resources cannot be empty: give cpus, gpus, memory or ports${declared ? '' : ', or a resource-set'}`);
  }
  const resourceLimits = convertLimits(r.map('resource-limits'));
  return { id, declared, cpus, gpus, memory, ports, volumes, ...(resourceLimits ? { resourceLimits } : {}) };
}

/** `volume:` (named after its path) and `volumes:` (named by key), in that order; paths must differ. */
export function convertVolumes(r: Reader): VolumeSpec[] {
  const one = r.map('volume');
  const read: Array<[string, VolumeSpec]> = [
    ...(one ? [['volume', convertVolume(undefined, one)] as [string, VolumeSpec]] : []),
    ...r.entries('volumes').map(([name, v]): [string, VolumeSpec] => [`volumes.${name}`, convertVolume(name, v)]),
  ];
  const seen = new Set<string>();
  for (const [key, v] of read) {
    if (v.path && seen.has(v.path)) r.fail(key, `path ${JSON.stringify(v.path)} is used by another volume`);
    seen.add(v.path);
  }
  return read.map(([, v]) => v);
}

function convertVolume(name: string | undefined, v: Reader): VolumeSpec {
  v.onlyKeys(['path', 'type', 'size', 'profiles']);
  const nameProblem = name === undefined ? undefined : segmentProblem(name); // a volume's folder is named after it
  if (nameProblem) v.failHere(`volume name ${nameProblem}`);
  const path = v.str('path', { required: true }) ?? '';
  if (path && !VOLUME_PATH.test(path)) v.fail('path', `must be one relative directory name (letters, digits, "_" and "-"), got ${JSON.stringify(path)}`);
  const type = v.oneOf('type', ['ROOT', 'MOUNT'] as const, { required: true }) ?? 'ROOT';
  const size = v.num('size', 0, { required: true, integer: true, above: 0 });
  const profiles = v.strList('profiles');
  if (profiles.length > 0 && type !== 'MOUNT') v.fail('profiles', 'are only allowed for MOUNT volumes');
  profiles.forEach((p, i) => {
    if (!PROFILE.test(p)) v.issues.push({ path: `${v.at('profiles')}[${i}]`, message: `must be 1-128 letters, digits, "_", "." or "-", got ${JSON.stringify(p)}` });
  });
  if (new Set(profiles).size !== profiles.length) v.fail('profiles', 'must not repeat a profile');
  return { name: name ?? path, path, type, size, profiles };
}

function convertPorts(r: Reader): PortSpec[] {
  const ports = r.entries('ports').map(([name, p]) => convertPort(name, p));
  const byValue = new Map<number, string>();
  const names = new Set(ports.map((p) => p.name));
  for (const p of ports) {
    const other = byValue.get(p.port);
    if (p.port > 0 && other !== undefined) r.fail(`ports.${p.name}.port`, `port ${p.port} is already used by port "${other}"`);
    if (p.port > 0 && other === undefined) byValue.set(p.port, p.name);
    if (p.vip && p.vip.prefix !== p.name && names.has(p.vip.prefix)) {
      r.fail(`ports.${p.name}.vip.prefix`, `"${p.vip.prefix}" is the name of another port`);
    }
  }
  return ports;
}

function convertPort(name: string, p: Reader): PortSpec {
  p.onlyKeys(['port', 'env-key', 'advertise', 'vip', 'ranges']);
  const port = p.num('port', 0, { integer: true, min: 0, max: 65535 });
  const envKey = p.str('env-key', { nonBlank: true });
  if (envKey && !ENV_NAME.test(envKey)) p.fail('env-key', `must be an environment variable name, got ${JSON.stringify(envKey)}`);
  const vipR = p.map('vip');
  vipR?.onlyKeys(['port', 'prefix']);
  const vip = vipR && { prefix: vipR.str('prefix', { nonBlank: true }) ?? name, port: vipR.num('port', 0, { required: true, integer: true, min: 1, max: 65535 }) };
  return {
    name,
    port,
    ...(envKey ? { envKey } : {}),
    advertise: p.bool('advertise', false),
    ...(vip ? { vip } : {}),
    ranges: convertRanges(p),
  };
}

function convertRanges(p: Reader): PortRange[] {
  return (p.list('ranges') ?? []).flatMap((item, i) => {
    const r = Reader.of(p.issues, `${p.at('ranges')}[${i}]`, item);
    if (!r) return [];
    r.onlyKeys(['begin', 'end']);
    const begin = r.num('begin', 0, { integer: true, min: 0, max: 65535 });
    const end = r.num('end', 0, { integer: true, min: 0, max: 65535 }) || 65535;
    if (begin > end) r.failHere(`begin ${begin} must be <= end ${end}`);
    return [{ begin, end }];
  });
}

function convertLimits(r: Reader | undefined): ResourceLimitsSpec | undefined {
  if (!r) return undefined;
  r.onlyKeys(['cpus', 'memory']);
  const cpus = limit(r, 'cpus');
  const memory = limit(r, 'memory');
  return { ...(cpus !== undefined ? { cpus } : {}), ...(memory !== undefined ? { memory } : {}) };
}

/** A number, `unlimited`, or blank/absent (= not set). */
function limit(r: Reader, key: string): ResourceLimit | undefined {
  const v: Raw | undefined = r.raw.get(key);
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return undefined;
  if (typeof v === 'string' && v.trim().toLowerCase() === 'unlimited') return 'unlimited';
  if (typeof v !== 'string' || !Number.isFinite(Number(v))) {
    r.fail(key, `must be a number or "unlimited", got ${describe(v)}`);
    return undefined;
  }
  return r.num(key, 0, { above: 0 });
}

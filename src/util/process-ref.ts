// A reference to one process that survives in files (pid files, executor journals): its pid, its
// start time (field 22 of /proc/<pid>/stat, in clock ticks since boot) and the boot it started in.
// Pids are reused, and pid files and journals outlive reboots: a signal goes only to the process
// (or process group) the reference was taken of, never to whatever holds that pid today.
import { readdirSync, readFileSync } from 'node:fs';
import { readJsonFile, readPid, writeFileAtomic } from './fs.js';

export interface ProcessRef {
  readonly pid: number;
  /** /proc/<pid>/stat field 22: start time in clock ticks after boot. */
  readonly start: string;
  /** /proc/sys/kernel/random/boot_id of the boot the process started in. */
  readonly boot: string;
}

interface Stat {
  readonly pgrp: number;
  readonly start: string;
}

/** Fields of /proc/<pid>/stat we use (the command name in parentheses may hold spaces and parens). */
function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined; // a zombie is gone for our purposes
    return { pgrp: Number(fields[5 - 3]), start: fields[22 - 3] };
  } catch {
    return undefined;
  }
}

let bootId: string | undefined;
function currentBoot(): string {
  bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return bootId;
}

/** A reference to the live process `pid`, or undefined when there is none. */
export function processRef(pid: number): ProcessRef | undefined {
  const s = pid > 0 ? stat(pid) : undefined;
  return s ? { pid, start: s.start, boot: currentBoot() } : undefined;
}

/** True while the referenced process itself is alive (not a later one with its pid). */
export function isSameProcess(ref: ProcessRef | undefined, marker?: string): boolean {
  if (!ref || !(ref.pid > 0) || ref.boot !== currentBoot() || stat(ref.pid)?.start !== ref.start) return false;
  if (marker === undefined) return true;
  try {
    return readFileSync(`/proc/${ref.pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
}

/** Sends `signal` to the referenced process only; false when it is gone (or the pid is someone else's). */
export function signalProcess(ref: ProcessRef | undefined, signal: NodeJS.Signals, marker?: string): boolean {
  if (!isSameProcess(ref, marker)) return false;
  return send((ref as ProcessRef).pid, signal);
}

/**
 * Sends `signal` to the process group the referenced process leads. Its leader may have exited
 * while members live on (a shell's children): the group still counts as ours when it is of the
 * same boot and every member started no earlier than the leader did (a pgid is not reused while
 * the group has members).
 */
export function signalGroup(ref: ProcessRef | undefined, signal: NodeJS.Signals): boolean {
  if (!ref || !(ref.pid > 0) || ref.boot !== currentBoot()) return false;
  const leader = stat(ref.pid);
  if (leader) {
    if (leader.start !== ref.start || leader.pgrp !== ref.pid) return false;
    return send(-ref.pid, signal);
  }
  const members = groupMembers(ref.pid);
  if (members.length === 0 || members.some((m) => BigInt(m.start) < BigInt(ref.start))) return false;
  return send(-ref.pid, signal);
}

function groupMembers(pgid: number): Stat[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  return pids.flatMap((d) => {
    const s = stat(Number(d));
    return s && s.pgrp === pgid ? [s] : [];
  });
}

function send(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch {
    return false;
  }
}

/** `<file>.ref` beside a pid file holds the reference; the pid file keeps the bare pid for people and scripts. */
const refFile = (pidFile: string) => `${pidFile}.ref`;

/** Writes this process's pid file and its reference (the reference first: a pid file never lacks one). */
export function writePidFile(file: string, pid = process.pid): void {
  const ref = processRef(pid);
  if (ref) writeFileAtomic(refFile(file), JSON.stringify(ref));
  writeFileAtomic(file, String(pid));
}

/**
 * The reference a pid file names, when its reference file agrees with it. A pid file without one
 * (written before references existed) yields none: such a pid is never signalled.
 */
export function readPidRef(file: string): ProcessRef | undefined {
  const pid = readPid(file);
  if (!pid) return undefined;
  let ref: ProcessRef | undefined;
  try {
    ref = readJsonFile<ProcessRef>(refFile(file));
  } catch {
    return undefined; // a torn or foreign file: no reference
  }
  return ref && ref.pid === pid && typeof ref.start === 'string' && typeof ref.boot === 'string' ? ref : undefined;
}

/** The pid file and its reference file, for removal together. */
export const pidFiles = (file: string): string[] => [file, refFile(file)];

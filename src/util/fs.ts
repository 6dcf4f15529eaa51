// Small file helpers shared by every layer that persists something.
import * as nodeFs from 'node:fs';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/** The file-descriptor calls a durable write makes; tests pass one that writes short or fails. */
export interface WriteFs {
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fstatSync(fd: number): { size: number };
  ftruncateSync(fd: number, len: number): void;
}

export const realFs: WriteFs = nodeFs;

/** Writes every byte of `text` (writeSync may write fewer than asked: disk full, a signal, a quota). */
export function writeAll(fd: number, text: string, io: WriteFs = realFs): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    const n = io.writeSync(fd, buf, off, buf.length - off);
    if (!(n > 0)) throw new Error(`write failed: ${off} of ${buf.length} bytes written`);
    off += n;
  }
}

/**
 * Appends `text` to a file opened for appending and fsyncs it. On any failure the file is cut back to
 * its length before the call and the error thrown: no torn line is left for good ones to follow.
 */
export function appendDurably(fd: number, text: string, io: WriteFs = realFs): void {
  const before = io.fstatSync(fd).size;
  try {
    writeAll(fd, text, io);
    io.fsyncSync(fd);
  } catch (e) {
    try {
      io.ftruncateSync(fd, before);
    } catch {
      // the error below is the one to report
    }
    throw e;
  }
}

/**
 * Replaces `file` atomically and durably: temp file, fsync, rename, fsync of the directory. A write
 * that fails leaves `file` as it was (and no temp file).
 */
export function writeFileAtomic(file: string, text: string, mode = 0o600, io: WriteFs = realFs): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeAll(fd, text, io);
    io.fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
  const dir = openSync(dirname(file), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** True when a process with this pid exists (and, if given, its command line contains `marker`). */
export function pidAlive(pid: number | undefined, marker?: string): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!marker) return true;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes(marker)) return true;
    // A zombie has an empty cmdline: it is dead for our purposes.
    return false;
  } catch {
    return false;
  }
}

export function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

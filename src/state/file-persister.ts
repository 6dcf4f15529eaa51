// The embedded default persister: a checksummed snapshot (`state.json`) plus an append-only log of
// transactions (`state.json.log`, one checksummed line each, fsync'd before it counts). A write
// costs the size of its own operations, not of the whole tree; every `compactEvery` transactions
// the tree is written afresh (temp file, fsync, rename, fsync dir) and the log emptied.
//
// Kill -9 at any instant leaves either the old or the new state: a torn last log line is a
// transaction that never happened; replaying operations twice (a crash between the snapshot and the
// log's reset) changes nothing, because sets and deletes are absolute. Any other damage is refused.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { appendDurably, realFs, writeFileAtomic, type WriteFs } from '../util/fs.js';
import { MemoryPersister, type Op } from './persister.js';

export class StateCorruptError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`state file ${file} is corrupt (${detail}); refusing to start on bad state: restore it or uninstall the service`);
    this.name = 'StateCorruptError';
  }
}

const checksum = (body: string) => createHash('sha256').update(body).digest('hex');

export interface FilePersisterOptions {
  /** Transactions between two snapshots. */
  readonly compactEvery?: number;
  /** The write calls (tests inject short writes and a full disk). */
  readonly fs?: WriteFs;
}

export class FilePersister extends MemoryPersister {
  readonly log: string;
  private appended = 0;
  private fd?: number;
  private readonly compactEvery: number;
  private readonly io: WriteFs;

  constructor(
    readonly file: string,
    opts: FilePersisterOptions = {},
  ) {
    super();
    this.log = `${file}.log`;
    this.compactEvery = opts.compactEvery ?? 500;
    this.io = opts.fs ?? realFs;
    this.loadSnapshot();
    const torn = this.replayLog();
    if (torn || this.appended > 0 || !exists(this.file)) this.compact();
  }

  private loadSnapshot(): void {
    const text = readOrUndefined(this.file);
    if (text === undefined) return;
    const nl = text.indexOf('\n');
    const [sum, body] = nl < 0 ? ['', text] : [text.slice(0, nl), text.slice(nl + 1)];
    if (sum !== checksum(body)) throw new StateCorruptError(this.file, 'checksum mismatch');
    try {
      this.data = new Map(Object.entries(JSON.parse(body) as Record<string, string>));
    } catch (e) {
      throw new StateCorruptError(this.file, (e as Error).message);
    }
  }

  /** Applies the log's transactions; true when its last line was torn by a crash. */
  private replayLog(): boolean {
    const text = readOrUndefined(this.log);
    if (!text) return false;
    const lines = text.split('\n');
    const complete = text.endsWith('\n');
    if (complete) lines.pop();
    for (const [i, line] of lines.entries()) {
      const sp = line.indexOf(' ');
      const body = line.slice(sp + 1);
      const last = i === lines.length - 1;
      if (sp < 0 || line.slice(0, sp) !== checksum(body)) {
        if (last && !complete) return true;
        throw new StateCorruptError(this.log, `checksum mismatch on line ${i + 1}`);
      }
      super.apply(JSON.parse(body) as Op[]);
      this.appended++;
    }
    return !complete;
  }

  override apply(ops: readonly Op[]): void {
    const body = JSON.stringify(ops);
    this.fd ??= openSync(this.log, 'a', 0o600);
    // a failed write is cut back and thrown: the transaction did not happen, on disk nor in memory
    appendDurably(this.fd, `${checksum(body)} ${body}\n`, this.io);
    super.apply(ops); // only once it is durable: memory never runs ahead of disk
    if (++this.appended >= this.compactEvery) this.compact();
  }

  /** Writes the whole tree as the new snapshot and empties the log. */
  private compact(): void {
    const body = JSON.stringify(Object.fromEntries(this.data));
    writeFileAtomic(this.file, `${checksum(body)}\n${body}`, 0o600, this.io);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    writeFileAtomic(this.log, '', 0o600, this.io);
    this.appended = 0;
  }
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const exists = (file: string) => readOrUndefined(file) !== undefined;

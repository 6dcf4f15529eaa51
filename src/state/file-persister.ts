// The embedded default persister: the whole tree in one checksummed JSON file, replaced atomically
// (write temp → fsync → rename → fsync dir), so kill -9 at any instant leaves the old or the new tree.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/fs.js';
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

export class FilePersister extends MemoryPersister {
  constructor(readonly file: string) {
    super();
    this.load();
  }

  private load(): void {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    const nl = text.indexOf('\n');
    const [sum, body] = nl < 0 ? ['', text] : [text.slice(0, nl), text.slice(nl + 1)];
    if (sum !== checksum(body)) throw new StateCorruptError(this.file, 'checksum mismatch');
    try {
      this.data = new Map(Object.entries(JSON.parse(body) as Record<string, string>));
    } catch (e) {
      throw new StateCorruptError(this.file, (e as Error).message);
    }
  }

  override apply(ops: readonly Op[]): void {
    const before = new Map(this.data);
    super.apply(ops);
    const body = JSON.stringify(Object.fromEntries(this.data));
    try {
      writeFileAtomic(this.file, `${checksum(body)}\n${body}`);
    } catch (e) {
      this.data = before; // memory never runs ahead of disk
      throw e;
    }
  }
}

// Floors shared by several figure groups, each measured once per run (memoized): what the same
// work costs with nothing of svc in it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/util/fs.js';
import { floorOf, now, progress, rssMb, sample, sleep, spawnSamples, type Floor } from './measure.js';

export class Floors {
  private readonly memo = new Map<string, Promise<Floor>>();

  constructor(private readonly quick: boolean) {}

  private once(name: string, measure: () => Promise<number[]>): Promise<Floor> {
    let f = this.memo.get(name);
    if (!f) {
      progress(`floor: ${name}`);
      f = measure().then((xs) => floorOf(name, xs));
      this.memo.set(name, f);
    }
    return f;
  }

  private get n(): number {
    return this.quick ? 10 : 30;
  }

  /** ms */
  nodeSpawn(): Promise<Floor> {
    return this.once('spawn of `node -e 0`', () => spawnSamples(this.n, process.execPath, ['-e', '0']));
  }

  /** ms */
  shSpawn(): Promise<Floor> {
    return this.once('spawn of `sh -c true`', () => spawnSamples(this.n, '/bin/sh', ['-c', 'true']));
  }

  /** s: `count` `sh -c true` started at once (what a parallel deploy's tasks are), until the last has exited. */
  concurrentShSpawns(count: number): Promise<Floor> {
    return this.once(`${count} concurrent spawns of \`sh -c true\``, async () => {
      const one = () => new Promise<void>((resolve, reject) => spawn('/bin/sh', ['-c', 'true'], { stdio: 'ignore' }).once('exit', () => resolve()).once('error', reject));
      const xs: number[] = [];
      for (let i = 0; i < (this.quick ? 1 : 3); i++) {
        const t0 = now();
        await Promise.all(Array.from({ length: count }, one));
        xs.push((now() - t0) / 1000);
      }
      return xs;
    });
  }

  /** ms: the least bookkeeping a step needs, one durable state write of 1 KB. */
  durableWrite(): Promise<Floor> {
    return this.once('atomic durable write of 1 KB (temp file, fsync, rename, fsync dir)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'svc-bench-fsync-'));
      try {
        const body = 'x'.repeat(1024);
        return await sample(this.n, () => writeFileAtomic(join(dir, 'state.json'), body), 3);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  /** MB: an idle `node` process doing nothing. */
  nodeRss(): Promise<Floor> {
    return this.once('RSS of an idle bare `node` process', async () => {
      const xs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
        await sleep(500);
        const mb = child.pid ? rssMb(child.pid) : undefined;
        child.kill('SIGKILL');
        if (mb !== undefined) xs.push(mb);
      }
      return xs;
    });
  }
}

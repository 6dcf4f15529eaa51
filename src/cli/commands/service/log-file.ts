// The scheduler's log of an installed service, read whole or as its last n lines, and followed
// (the supervisor appends to it across restarts) until aborted or the file goes away.
import { existsSync } from 'node:fs';
import { followFile, type FollowOptions } from '../../../util/follow-file.js';

export type ReadLogOptions = FollowOptions;

export async function* readLogFile(file: string, o: ReadLogOptions, pollMs?: number): AsyncGenerator<string> {
  if (!existsSync(file)) return; // the scheduler has not written yet
  yield* followFile(file, o, pollMs);
}

// A local task's output: the stdout and stderr files of its sandbox, read whole or as the last n
// lines, and followed (a file the task appends to, possibly truncated) until aborted.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { followFile } from '../../util/follow-file.js';
import { NoTaskOutput, type LogOptions } from '../types.js';

export async function* readTaskLog(taskName: string, sandbox: string, o: LogOptions, pollMs?: number): AsyncGenerator<string> {
  const file = join(sandbox, o.stream);
  if (!existsSync(file)) throw new NoTaskOutput(`${taskName} has no ${o.stream} yet (${file}); has it started? (svc task list)`);
  yield* followFile(file, o, pollMs);
}

// The engine boundary's exec, logs, unsupported and sweep types, as the engine-boundary work
// defines them in src/engine/types.ts. This backend is built before that lands: once it has, these
// come from '../types.js' and this file goes.
import type { Readable } from 'node:stream';
import type { SpecIssue } from '../../spec/index.js';

export interface TaskRef {
  readonly reservationId: string;
  /** Full task name (`hello-0-server`). */
  readonly name: string;
  readonly taskId: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface ExecCommand {
  readonly cmd: string;
  readonly args: readonly string[];
}

export interface ExecOptions {
  readonly tty: boolean;
  readonly stdin: 'inherit' | 'none';
}

export interface ExecSession {
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** The exit status (128 + n for a signal; 127 for a command not found); rejects with ExecFailed when nothing could start. */
  readonly exit: Promise<number>;
  kill(): void;
}

export interface LogOptions {
  readonly stream: 'stdout' | 'stderr';
  readonly follow: boolean;
  readonly lines?: number;
  readonly signal?: AbortSignal;
}

export class ExecFailed extends Error {}
export class NoTaskOutput extends Error {}
export type Unsupported = SpecIssue;

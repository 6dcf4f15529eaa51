// Test doubles for the CLI: a client whose requests are answered by stubs that each match once
// (an unmatched request fails the command; unused stubs fail the test), deps over testIo, and
// helpers that parse or run a command line with the real commander program.
import type { Command } from 'commander';
import { ApiError, SvcClient, UnreachableError, type Response } from '../../src/client/index.js';
import type { CliDeps, GlobalOptions } from '../../src/cli/deps.js';
import { localLauncher, type Launcher } from '../../src/cli/launcher-port.js';
import { testIo } from '../../src/cli/io.js';
import { buildProgram, commandPath, main } from '../../src/cli/main.js';

export const BASE = 'http://svc.test';

export interface Stub {
  method: 'GET' | 'POST';
  path: string;
  status?: number;
  /** A JSON value, or text for text/plain answers. */
  body?: unknown;
  /** The bytes sent, when not `body` as compact JSON (or as the text it is). */
  text?: string;
  /** Answer with a connection failure instead. */
  unreachable?: boolean;
}

export class FakeClient extends SvcClient {
  readonly #stubs: Array<Stub & { used?: boolean }>;
  /** Bodies sent, by "METHOD path". */
  readonly sent: Record<string, unknown> = {};

  constructor(stubs: Stub[]) {
    super({ url: BASE });
    this.#stubs = stubs.map((s) => ({ ...s }));
  }

  override async call<T>(method: 'GET' | 'POST', path: string, ok: (status: number) => boolean = (s) => s >= 200 && s < 300, body?: unknown): Promise<Response<T>> {
    const stub = this.#stubs.find((s) => !s.used && s.method === method && s.path === path);
    if (!stub) throw new Error(`unexpected request ${method} ${path}`);
    stub.used = true;
    if (body !== undefined) this.sent[`${method} ${path}`] = body;
    const url = `${BASE}${path}`;
    if (stub.unreachable) throw new UnreachableError(url, 'ECONNREFUSED');
    const status = stub.status ?? 200;
    if (!ok(status)) throw new ApiError(status, typeof stub.body === 'string' ? stub.body : stub.body === undefined ? '' : JSON.stringify(stub.body), method, url);
    return { status, body: stub.body as T, text: stub.text ?? (typeof stub.body === 'string' ? stub.body : JSON.stringify(stub.body ?? '')) };
  }

  /** Stubs no request used. */
  unused(): string[] {
    return this.#stubs.filter((s) => !s.used).map((s) => `${s.method} ${s.path}`);
  }
}

export interface TestDepsOptions {
  tty?: boolean;
  color?: boolean;
  stubs?: Stub[];
  env?: Record<string, string | undefined>;
  /** Answers to prompts, in order (a boolean for confirm, a string for input, an Error to reject). */
  answers?: Array<boolean | string | Error>;
  /** $SVC_HOME for commands that read the registry. */
  svcHome?: string;
  /** Stands in for the launcher (install, uninstall, …); default: the real one over svcHome. */
  launcher?: Launcher;
}

export function testDeps(o: TestDepsOptions = {}) {
  const io = testIo({ tty: o.tty, color: o.color });
  const fake = new FakeClient(o.stubs ?? []);
  const globals: GlobalOptions[] = [];
  const answers = [...(o.answers ?? [])];
  const answer = (message: string) => {
    io.err(`? ${message}\n`);
    if (answers.length === 0) throw new Error(`unexpected prompt: ${message}`);
    const a = answers.shift();
    if (a instanceof Error) throw a;
    return a;
  };
  const deps: CliDeps = {
    io,
    prompter: {
      confirm: async (m) => answer(m) === true,
      input: async (m) => String(answer(m)),
    },
    env: o.env ?? { SVC_URL: BASE },
    svcHome: () => o.svcHome ?? '/nonexistent/svc-home',
    launcher: async () => o.launcher ?? localLauncher(o.svcHome ?? '/nonexistent/svc-home'),
    client: async (g) => {
      globals.push({ ...g });
      return fake;
    },
  };
  return { deps, io, fake, globals };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Bodies the command sent. */
  sent: Record<string, unknown>;
  unused: string[];
  globals: GlobalOptions[];
}

/** Runs `svc <args>` in-process over stubs. */
export async function run(args: string[], o: TestDepsOptions = {}): Promise<RunResult> {
  const t = testDeps(o);
  const code = await main(['node', 'svc', ...args], t.deps);
  return { code, stdout: t.io.stdout(), stderr: t.io.stderr(), sent: t.fake.sent, unused: t.fake.unused(), globals: t.globals };
}

export interface Parsed {
  command: string;
  args: unknown[];
  opts: Record<string, unknown>;
  globals: GlobalOptions;
}

const INTERCEPTED = Symbol('intercepted');

/** Parses `svc <args>` with the real program and returns what the command would run with, without running it. */
export async function parse(args: string[]): Promise<Parsed> {
  const { deps } = testDeps();
  const program: Command = buildProgram(deps);
  let parsed: Parsed | undefined;
  program.hook('preAction', (root, action) => {
    parsed = { command: commandPath(action), args: action.processedArgs, opts: action.opts(), globals: root.opts<GlobalOptions>() };
    throw INTERCEPTED;
  });
  try {
    await program.parseAsync(['node', 'svc', ...args]);
  } catch (e) {
    if (e !== INTERCEPTED) throw e;
  }
  if (!parsed) throw new Error(`svc ${args.join(' ')} ran no command`);
  return parsed;
}

// What every command needs, built once by main.ts and injected: terminal, env, registry, client,
// launcher. Everything that costs a module load is behind a function.
import { resolve } from 'node:path';
import type { SvcClient } from '../client/index.js';
import type { Io } from './io.js';
import type { Launcher } from './launcher-port.js';
import { unreachable, usageError } from './errors.js';

export interface GlobalOptions {
  name?: string;
  url?: string;
  token?: string;
  tokenFile?: string;
  verbose?: boolean;
}

/** Questions to the user; only asked when io.canPrompt. Ctrl-C rejects (mapped to "cancelled"). */
export interface Prompter {
  confirm(message: string): Promise<boolean>;
  input(message: string): Promise<string>;
}

export interface CliDeps {
  readonly io: Io;
  readonly prompter: Prompter;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The service's API client, chosen from --url/--name/SVC_SERVICE or the only installed one. */
  client(globals: GlobalOptions): Promise<SvcClient>;
  /** Install, run, update, uninstall and the registry of $SVC_HOME. */
  launcher(): Promise<Launcher>;
  svcHome(): string;
}

export function makeDeps(io: Io, env: Readonly<Record<string, string | undefined>>): CliDeps {
  const deps: CliDeps = {
    io,
    env,
    prompter: {
      confirm: async (message) => (await import('@inquirer/prompts')).confirm({ message, default: false }),
      input: async (message) => (await import('@inquirer/prompts')).input({ message }),
    },
    svcHome: () => resolve(env.SVC_HOME || `${env.HOME ?? ''}/.svc`), // absolute, as the launcher's
    launcher: async () => (await import('./launcher-port.js')).localLauncher(deps.svcHome()),
    async client(g) {
      const { SvcClient } = await import('../client/index.js');
      const trace = g.verbose ? (l: string) => io.err(`${l}\n`) : undefined;
      const url = g.url ?? env.SVC_URL;
      if (url) return new SvcClient({ url: checkUrl(url, g.url ? '--url' : 'SVC_URL'), token: await tokenOf(g, env, io), trace, ca: url.startsWith('https:') ? (await import('../tls/ca.js')).caCertificate(deps.svcHome()) : undefined });
      const { clientFor } = await import('../launcher/home.js');
      return withTrace(clientFor(await selectHome(deps, g)), trace, SvcClient);
    },
  };
  return deps;
}

/** An http(s) URL, or a usage error naming where it came from. */
export function checkUrl(url: string, from: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw usageError(`${from} ${url}: not a URL; expected http://host:port or https://host/service/<name>`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usageError(`${from} ${url}: expected an http:// or https:// URL`);
  return url;
}

/**
 * The API token for --url: --token (visible to every user in `ps`), else --token-file, else
 * $SVC_TOKEN. A token file others may read is used, with a warning.
 */
export async function tokenOf(g: GlobalOptions, env: Readonly<Record<string, string | undefined>>, io: Io): Promise<string | undefined> {
  if (g.token !== undefined) return g.token;
  if (g.tokenFile === undefined) return env.SVC_TOKEN || undefined;
  const { readFileSync, statSync } = await import('node:fs');
  let text: string;
  try {
    text = readFileSync(g.tokenFile, 'utf8');
  } catch (e) {
    throw usageError(`--token-file ${g.tokenFile}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const mode = statSync(g.tokenFile).mode & 0o777;
  if (mode & 0o077) io.err(`svc: warning: --token-file ${g.tokenFile} can be read by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it\n`);
  const token = text.trim();
  if (!token) throw usageError(`--token-file ${g.tokenFile}: the file is empty`);
  return token;
}

function withTrace(c: SvcClient, trace: ((l: string) => void) | undefined, Ctor: typeof SvcClient): SvcClient {
  return trace ? new Ctor({ url: c.baseUrl, token: c.token, trace, ca: c.ca }) : c;
}

/** The installed service the global options point at (for commands that act on its folder). */
export async function selectHome(deps: CliDeps, g: GlobalOptions): Promise<import('../launcher/home.js').ServiceHome> {
  const { listServices, findService } = await import('../launcher/home.js');
  const name = g.name ?? deps.env.SVC_SERVICE;
  if (name) return findService(deps.svcHome(), name);
  const installed = listServices(deps.svcHome());
  if (installed.length === 1) return installed[0];
  if (installed.length === 0) throw unreachable(`no service is installed in $SVC_HOME (${deps.svcHome()}); install one with: svc install <svc.yml>`);
  throw usageError(`several services are installed (${installed.map((s) => s.name).join(', ')}); pick one with --name <service> or SVC_SERVICE`);
}

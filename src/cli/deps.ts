// What every command needs, built once by main.ts and injected: terminal, env, registry, client.
import { resolve } from 'node:path';
import type { SvcClient } from '../client/index.js';
import type { Io } from './io.js';
import { unreachable, usageError } from './errors.js';

export interface GlobalOptions {
  name?: string;
  url?: string;
  token?: string;
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
  /** The service's API client, chosen from --url/--name/SVC_SERVICE or the only installed service. */
  client(globals: GlobalOptions): Promise<SvcClient>;
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
    async client(g) {
      const { SvcClient } = await import('../client/index.js');
      const trace = g.verbose ? (l: string) => io.err(`${l}\n`) : undefined;
      const url = g.url ?? env.SVC_URL;
      if (url) return new SvcClient({ url, token: g.token ?? env.SVC_TOKEN, trace, ca: url.startsWith('https:') ? (await import('../tls/ca.js')).caCertificate(deps.svcHome()) : undefined });
      const { clientFor } = await import('../launcher/home.js');
      return withTrace(clientFor(await selectHome(deps, g)), trace, SvcClient);
    },
  };
  return deps;
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
  if (installed.length === 0) throw unreachable('no service is installed; install one with: svc install <svc.yml>');
  throw usageError(`several services are installed (${installed.map((s) => s.name).join(', ')}); pick one with --name <service> or SVC_SERVICE`);
}

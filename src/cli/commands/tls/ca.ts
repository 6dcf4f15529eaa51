// svc tls ca: the certificate of $SVC_HOME's CA (created on first use), to trust from clients.
import type { Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { failed } from '../../errors.js';
import { examples } from '../shared.js';

export async function run(_o: Record<string, never>, deps: CliDeps): Promise<string> {
  const { SecretStore, SecretError } = await import('../../../secrets/index.js');
  const { caCertificate, ensureCa, TlsError } = await import('../../../tls/index.js');
  try {
    // printing needs no key; only creating the CA does
    const pem = caCertificate(deps.svcHome()) ?? (await ensureCa(deps.svcHome(), SecretStore.forHome(deps.svcHome(), deps.env).encryptionKey(true))).certPem;
    deps.io.out(pem);
    return pem;
  } catch (e) {
    if (e instanceof SecretError || e instanceof TlsError) throw failed(e.message);
    throw e;
  }
}

export function register(group: Command, deps: CliDeps): void {
  examples(
    group.command('ca').description("print the PEM certificate of svc's CA, which signs every task certificate"),
    'svc tls ca > ca.pem',
    'curl --cacert ca.pem https://server-0-node.hello-world.autoip.dcos.thisdcos.directory:8443/',
  ).action(() => run({}, deps).then(() => undefined));
}

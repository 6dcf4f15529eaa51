// What a scheduler reads secrets and certificates from: this $SVC_HOME's store and CA. Built by
// the launcher and handed to the scheduler (see scheduler/secrets-delivery.ts).
import type { CertificateArtifacts, SecretSource } from '../scheduler/secrets-delivery.js';
import type { ServiceSpec } from '../spec/index.js';
import { X509Certificate } from 'node:crypto';
import { ensureCa, issueCertificate, keystore, truststore } from '../tls/index.js';
import type { IssuedLedger } from '../tls/renewal.js';
import { checkScope, serviceSpace } from './paths.js';
import { SecretError } from './errors.js';
import { SecretStore } from './store.js';

/** `ledger`: where the dates of issued certificates are kept, for renewal before expiry. */
export function secretSource(svcHome: string, env: Readonly<Record<string, string | undefined>>, ledger?: IssuedLedger): SecretSource {
  const store = SecretStore.forHome(svcHome, env);
  const trust = new Map<string, Promise<Buffer>>(); // the trust store depends on the CA only
  return {
    read: (path) => store.get(path),
    async certificate(req, keystores, podInstance): Promise<CertificateArtifacts> {
      const ca = await ensureCa(svcHome, store.encryptionKey(true));
      const issued = await issueCertificate(ca, req);
      const x = new X509Certificate(issued.certPem);
      ledger?.record(req.commonName, { podInstance, notBefore: Date.parse(x.validFrom), notAfter: Date.parse(x.validTo) });
      if (!keystores) return issued;
      if (!trust.has(ca.certPem)) trust.set(ca.certPem, truststore(ca.certPem));
      return { ...issued, keystore: await keystore(issued), truststore: await (trust.get(ca.certPem) as Promise<Buffer>) };
    },
  };
}

/**
 * The spec with each secret's version digest stamped in (so a rotated secret changes the config
 * id), after checking that every secret exists and lies within the service's scope. Install and
 * update call this: a missing or foreign secret stops them before anything starts.
 */
export function stampSecretVersions(spec: ServiceSpec, store: SecretStore): ServiceSpec {
  if (!spec.pods.some((p) => p.secrets.length > 0)) return spec;
  const problems: string[] = [];
  const pods = spec.pods.map((pod) => ({
    ...pod,
    secrets: pod.secrets.map((s) => {
      const where = `pods.${pod.name}.secrets.${s.name}.secret`;
      try {
        checkScope(spec.name, s.secret, where);
        return { ...s, version: store.versionDigest(s.secret) };
      } catch (e) {
        problems.push(e instanceof SecretError && e.kind === 'not-found' ? `${where}: ${e.message}` : (e as Error).message);
        return s;
      }
    }),
  }));
  if (problems.length > 0) throw new SecretError(problems.join('\n'), 'usage');
  return { ...spec, pods };
}

/**
 * A certificate for the scheduler's own API (`svc install --tls`), from the same CA, for the
 * address clients use: loopback (or the bind address) and `localhost`. Issued at every start.
 */
export async function apiCertificate(svcHome: string, serviceName: string, bind: string | undefined, env: Readonly<Record<string, string | undefined>>): Promise<{ cert: string; key: string }> {
  const store = SecretStore.forHome(svcHome, env);
  const ca = await ensureCa(svcHome, store.encryptionKey(true));
  const ips = ['127.0.0.1', '::1', ...(bind && bind !== '0.0.0.0' && bind !== '::' ? [bind] : [])];
  const issued = await issueCertificate(ca, { commonName: `scheduler.${serviceSpace(serviceName).replace(/\//g, '')}`, dnsNames: ['localhost'], ips });
  return { cert: issued.certPem, key: issued.keyPem };
}

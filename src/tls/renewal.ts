// Renewal before expiry. Certificates are renewed at every relaunch; a task that runs for most of a
// certificate's life gets its pod restarted (as `svc pod restart` does) once the certificate
// nears its end. The dates of the certificates issued for each task are kept in the service's
// folder (dates only, nothing secret), so a restarted scheduler still knows them.
import { readJsonFile, writeFileAtomic } from '../util/fs.js';

const DAY_MS = 86_400_000;
/** Renew this long before expiry, or at two thirds of the certificate's life when it is shorter. */
export const RENEW_BEFORE_MS = 30 * DAY_MS;

export interface IssuedCert {
  readonly podInstance: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

/** Issued certificates by task (its certificate's common name), persisted. */
export class IssuedLedger {
  constructor(private readonly file: string) {}

  all(): Record<string, IssuedCert> {
    return readJsonFile<Record<string, IssuedCert>>(this.file) ?? {};
  }

  record(task: string, cert: IssuedCert): void {
    writeFileAtomic(this.file, JSON.stringify({ ...this.all(), [task]: cert }));
  }

  forget(podInstance: string): void {
    writeFileAtomic(this.file, JSON.stringify(Object.fromEntries(Object.entries(this.all()).filter(([, c]) => c.podInstance !== podInstance))));
  }
}

/** The moment a certificate should be replaced. */
export const renewAt = (c: IssuedCert): number => c.notAfter - Math.min(RENEW_BEFORE_MS, (c.notAfter - c.notBefore) / 3);

/** Pod instances holding a certificate due for renewal at `now`, sorted. */
export function duePods(issued: Readonly<Record<string, IssuedCert>>, now: number): string[] {
  return [...new Set(Object.values(issued).filter((c) => now >= renewAt(c)).map((c) => c.podInstance))].sort();
}

export interface RenewalOptions {
  readonly ledger: IssuedLedger;
  /** Restarts a pod instance; resolves to undefined when there is no such pod any more. */
  readonly restart: (podInstance: string) => Promise<unknown>;
  readonly log: (msg: string) => void;
  readonly now: () => number;
  readonly everyMs: number;
}

/** One pass: restarts the pods whose certificates are due; forgets pods that are gone. */
export async function renewDue(o: Omit<RenewalOptions, 'everyMs'>): Promise<string[]> {
  const due = duePods(o.ledger.all(), o.now());
  for (const pod of due) {
    o.log(`renewing the TLS certificates of ${pod}: restarting it before they expire`);
    if ((await o.restart(pod)) === undefined) o.ledger.forget(pod);
  }
  return due;
}

/** Checks every `everyMs`; returns a stop function. The timer never keeps the process alive. */
export function startRenewal(o: RenewalOptions): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    renewDue(o)
      .catch((e: Error) => o.log(`certificate renewal failed: ${e.message}`))
      .finally(() => (running = false));
  }, o.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

// What the engine keeps in the cluster rather than on this machine: its reservations, in one
// ConfigMap written with optimistic concurrency (a replace naming the resourceVersion it read; a
// 409 means someone wrote in between, so read again and re-apply), and a Lease so that only one
// scheduler of a service writes at a time.
import type { CoordinationV1Api, CoreV1Api, V1ConfigMap, V1Lease } from '@kubernetes/client-node';
import type { Reservation } from '../types.js';
import { LABEL, labelValue, leaseName, stateName } from './names.js';

const KEY = 'reservations.json';
const MAX_TRIES = 8;

export const statusCode = (e: unknown): number | undefined => (e as { code?: number } | null | undefined)?.code;

export class ReservationBook {
  private list: Reservation[] = [];
  private current?: V1ConfigMap;

  constructor(
    private readonly core: CoreV1Api,
    private readonly namespace: string,
    private readonly service: string,
  ) {}

  get reservations(): Reservation[] {
    return this.list;
  }

  async load(): Promise<void> {
    try {
      this.current = await this.core.readNamespacedConfigMap({ name: stateName(this.service), namespace: this.namespace });
      this.list = JSON.parse(this.current.data?.[KEY] ?? '[]') as Reservation[];
    } catch (e) {
      if (statusCode(e) !== 404) throw e;
      this.current = undefined;
      this.list = [];
    }
  }

  /** Applies `change` to the latest list and writes it; retried on a conflicting write. */
  async update(change: (list: readonly Reservation[]) => Reservation[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const next = change(this.list);
      const body: V1ConfigMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: stateName(this.service), labels: { [LABEL.managedBy]: 'svc', [LABEL.service]: labelValue(this.service) }, ...(this.current ? { resourceVersion: this.current.metadata?.resourceVersion } : {}) },
        data: { [KEY]: JSON.stringify(next) },
      };
      try {
        this.current = this.current
          ? await this.core.replaceNamespacedConfigMap({ name: stateName(this.service), namespace: this.namespace, body })
          : await this.core.createNamespacedConfigMap({ namespace: this.namespace, body });
        this.list = next;
        return;
      } catch (e) {
        const code = statusCode(e);
        if ((code !== 409 && code !== 404) || attempt >= MAX_TRIES) throw e;
        await this.load();
      }
    }
  }
}

/** Another scheduler of the service holds the lease and keeps renewing it. */
export class LeaseHeld extends Error {}

export interface LeaseOptions {
  readonly identity: string;
  readonly durationSec: number;
  readonly now: () => number;
  readonly log: (msg: string) => void;
  /** The lease was taken by someone else: this scheduler must stop writing. */
  readonly onLost: () => void;
}

export class SchedulerLease {
  private current?: V1Lease;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly api: CoordinationV1Api,
    private readonly namespace: string,
    private readonly service: string,
    private readonly o: LeaseOptions,
  ) {}

  private body(base?: V1Lease): V1Lease {
    const now = new Date(this.o.now());
    const same = base?.spec?.holderIdentity === this.o.identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: leaseName(this.service), labels: { [LABEL.managedBy]: 'svc', [LABEL.service]: labelValue(this.service) }, ...(base ? { resourceVersion: base.metadata?.resourceVersion } : {}) },
      spec: {
        holderIdentity: this.o.identity,
        leaseDurationSeconds: this.o.durationSec,
        acquireTime: same && base?.spec?.acquireTime ? base.spec.acquireTime : now,
        renewTime: now,
        leaseTransitions: (base?.spec?.leaseTransitions ?? 0) + (base && !same ? 1 : 0),
      },
    };
  }

  /** Takes the lease, or throws LeaseHeld while another holder keeps it fresh; then renews it. */
  async acquire(): Promise<void> {
    const name = leaseName(this.service);
    let existing: V1Lease | undefined;
    try {
      existing = await this.api.readNamespacedLease({ name, namespace: this.namespace });
    } catch (e) {
      if (statusCode(e) !== 404) throw e;
    }
    if (existing) {
      const holder = existing.spec?.holderIdentity;
      const renewed = existing.spec?.renewTime ? new Date(existing.spec.renewTime).getTime() : 0;
      const expires = renewed + (existing.spec?.leaseDurationSeconds ?? 0) * 1000;
      if (holder && holder !== this.o.identity && expires > this.o.now()) {
        throw new LeaseHeld(`lease ${this.namespace}/${name} is held by ${holder} (renewed ${Math.round((this.o.now() - renewed) / 1000)} s ago, expires in ${Math.ceil((expires - this.o.now()) / 1000)} s): another scheduler of ${this.service} runs; stop it, or wait for its lease to expire`);
      }
    }
    try {
      this.current = existing
        ? await this.api.replaceNamespacedLease({ name, namespace: this.namespace, body: this.body(existing) })
        : await this.api.createNamespacedLease({ namespace: this.namespace, body: this.body() });
    } catch (e) {
      if (statusCode(e) === 409) throw new LeaseHeld(`lease ${this.namespace}/${name} was taken by another scheduler while this one acquired it`);
      throw e;
    }
    this.timer = setInterval(() => void this.renew(), (this.o.durationSec * 1000) / 3);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    try {
      this.current = await this.api.replaceNamespacedLease({ name: leaseName(this.service), namespace: this.namespace, body: this.body(this.current) });
    } catch (e) {
      if (statusCode(e) === 409) {
        clearInterval(this.timer);
        this.o.log(`lease ${leaseName(this.service)} was taken by another scheduler: this one stops writing`);
        this.o.onLost();
      } else this.o.log(`lease renewal failed (will retry): ${(e as Error).message}`);
    }
  }

  /** Gives the lease up (a clean shutdown), so another scheduler can take it at once. */
  async release(): Promise<void> {
    clearInterval(this.timer);
    if (!this.current) return;
    const body = this.body(this.current);
    await this.api.replaceNamespacedLease({ name: leaseName(this.service), namespace: this.namespace, body: { ...body, spec: { ...body.spec, holderIdentity: undefined, renewTime: undefined } } }).catch(() => undefined);
    this.current = undefined;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

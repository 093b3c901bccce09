/**
 * One coordination.k8s.io/v1 Lease per graph: the replica holding it runs a
 * stateful graph (accumulate, delay) and writes the graph's overall status.
 * Held by renewing `renewTime` every third of the duration; taken over by
 * another replica once `renewTime + leaseDurationSeconds` has passed; every
 * write carries the lease's resourceVersion, so of two replicas racing for it
 * exactly one wins (the other gets 409).
 */
import { ApiException, CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease, type V1LeaseSpec } from '@kubernetes/client-node';

/** The API server reads lease times only with microseconds; a plain Date is written with milliseconds and refused. */
const micro = (d: Date | undefined) => (d ? new V1MicroTime(d) : undefined);
const times = (s: V1LeaseSpec): V1LeaseSpec => ({ ...s, acquireTime: micro(s.acquireTime), renewTime: micro(s.renewTime) });

export class GraphLease {
  private holding = false;
  private lastAttempt = 0;
  private lastRenewed = 0;

  constructor(
    private readonly api: CoordinationV1Api,
    private readonly namespace: string,
    readonly name: string,
    private readonly identity: string,
    private readonly durationSeconds: number,
    private readonly onError?: (message: string) => void,
  ) {}

  static api(kc: KubeConfig): CoordinationV1Api {
    return kc.makeApiClient(CoordinationV1Api);
  }

  get held(): boolean {
    return this.holding;
  }

  /** Renews or tries to take the lease when due; resolves whether this replica holds it. */
  async tick(now = Date.now()): Promise<boolean> {
    // The holder renews every third of the duration; the others look often, to take over soon after it expires.
    const every = this.holding ? (this.durationSeconds * 1000) / 3 : Math.min(500, (this.durationSeconds * 1000) / 3);
    if (now - this.lastAttempt < every) return this.holding;
    this.lastAttempt = now;
    try {
      this.holding = await this.attempt(new Date(now));
      if (this.holding) this.lastRenewed = now;
    } catch (e) {
      this.onError?.(`lease ${this.name}: ${(e as Error).message}`);
      // The API server is away: keep running only until the lease would have expired for the others.
      if (this.holding && now - this.lastRenewed > this.durationSeconds * 1000) this.holding = false;
    }
    return this.holding;
  }

  private async attempt(now: Date): Promise<boolean> {
    let lease: V1Lease | undefined;
    try {
      lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.namespace });
    } catch (e) {
      if (!(e instanceof ApiException && e.code === 404)) throw e;
    }
    const spec = { holderIdentity: this.identity, leaseDurationSeconds: this.durationSeconds, renewTime: new V1MicroTime(now) };
    if (!lease) {
      return this.write(() => this.api.createNamespacedLease({ namespace: this.namespace, body: { metadata: { name: this.name, namespace: this.namespace }, spec: { ...spec, acquireTime: new V1MicroTime(now), leaseTransitions: 0 } } }));
    }
    const s = lease.spec ?? {};
    if (s.holderIdentity === this.identity) {
      return this.write(() => this.api.replaceNamespacedLease({ name: this.name, namespace: this.namespace, body: { ...lease, spec: { ...times(s), ...spec } } }));
    }
    const renewed = s.renewTime ? new Date(s.renewTime as unknown as string).getTime() : 0;
    const expires = renewed + (s.leaseDurationSeconds ?? this.durationSeconds) * 1000;
    if (s.holderIdentity && now.getTime() < expires) return false;
    return this.write(() => this.api.replaceNamespacedLease({
      name: this.name,
      namespace: this.namespace,
      body: { ...lease, spec: { ...times(s), ...spec, acquireTime: new V1MicroTime(now), leaseTransitions: (s.leaseTransitions ?? 0) + 1 } },
    }));
  }

  private async write(op: () => Promise<unknown>): Promise<boolean> {
    try {
      await op();
      return true;
    } catch (e) {
      if (e instanceof ApiException && (e.code === 409 || e.code === 422)) return false;
      throw e;
    }
  }

  /** Gives the lease up (on a clean stop), so another replica takes over at once. */
  async release(): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    try {
      const lease = await this.api.readNamespacedLease({ name: this.name, namespace: this.namespace });
      if (lease.spec?.holderIdentity !== this.identity) return;
      await this.api.replaceNamespacedLease({ name: this.name, namespace: this.namespace, body: { ...lease, spec: { ...times(lease.spec), holderIdentity: undefined, renewTime: undefined } } });
    } catch {
      // It expires by itself.
    }
  }
}

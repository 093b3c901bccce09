import { compareHlc, type Hlc, type HybridClock } from '@wgs/graph-model';

/** Errors as the WIT `state-store-error` variant carries them (thrown to the guest). */
export type StateStoreError = { tag: 'request-error'; val: string } | { tag: 'timeout' } | { tag: 'protocol' } | { tag: 'internal' };

export type SetCondition = 'only-if-does-not-exist' | 'only-if-equal-or-does-not-exist' | 'unconditional';

interface Entry {
  value: Uint8Array;
  version: Hlc;
  expiresAt?: number;
  fencingToken?: Hlc;
}

const requestError = (message: string): StateStoreError => ({ tag: 'request-error', val: message });

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

const keyOf = (key: Uint8Array) => Buffer.from(key).toString('latin1');

/**
 * In-memory state store with the semantics of the reference's distributed
 * state store: set conditions, expiry, fencing tokens, value-conditional delete.
 * Keys and values are bytes. Fencing: once a key was written with a fencing
 * token, writes must present a token that is not older.
 */
export class StateStore {
  private readonly entries = new Map<string, Entry>();
  private changes = 0;
  /** Earliest expiry of any entry (Infinity: none), so reading `revision` stays cheap. */
  private nextExpiry = Infinity;

  /**
   * Bumped on every change, so a snapshot is only taken when needed. An expiry
   * is a change too: entries that expired by now are removed before reading.
   */
  get revision(): number {
    if (this.nextExpiry <= this.now()) this.purgeExpired();
    return this.changes;
  }

  constructor(private readonly clock: HybridClock, private readonly now: () => number = Date.now) {}

  private live(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= this.now()) {
      this.entries.delete(key);
      this.changes++;
      return undefined;
    }
    return e;
  }

  private purgeExpired(): void {
    const now = this.now();
    this.nextExpiry = Infinity;
    for (const [k, e] of this.entries) {
      if (e.expiresAt === undefined) continue;
      if (e.expiresAt <= now) {
        this.entries.delete(k);
        this.changes++;
      } else if (e.expiresAt < this.nextExpiry) this.nextExpiry = e.expiresAt;
    }
  }

  private checkFence(e: Entry | undefined, token: Hlc | undefined): void {
    if (!e?.fencingToken) return;
    if (!token) throw requestError('fencing token required: the key is protected by a fencing token');
    if (compareHlc(token, e.fencingToken) < 0) throw requestError('fencing token is older than the one that protects the key');
  }

  get(key: Uint8Array): { response?: Uint8Array; version?: Hlc } {
    const e = this.live(keyOf(key));
    return e ? { response: e.value, version: e.version } : { response: undefined, version: undefined };
  }

  set(key: Uint8Array, value: Uint8Array, options: { condition: SetCondition; expiresMs?: number; fencingToken?: Hlc }): { response: boolean; version?: Hlc } {
    const k = keyOf(key);
    const e = this.live(k);
    this.checkFence(e, options.fencingToken);
    if (options.condition === 'only-if-does-not-exist' && e) return { response: false, version: undefined };
    if (options.condition === 'only-if-equal-or-does-not-exist' && e && !sameBytes(e.value, value)) return { response: false, version: undefined };
    const version = this.clock.tick();
    const expiresAt = options.expiresMs !== undefined ? this.now() + options.expiresMs : undefined;
    if (expiresAt !== undefined && expiresAt < this.nextExpiry) this.nextExpiry = expiresAt;
    this.entries.set(k, {
      // A copy: Buffer#slice (host callers pass Buffers) would return a view.
      value: new Uint8Array(value),
      version,
      expiresAt,
      fencingToken: options.fencingToken ?? e?.fencingToken,
    });
    this.changes++;
    return { response: true, version };
  }

  /** Returns 1 when deleted, 0 when absent. */
  del(key: Uint8Array, fencingToken?: Hlc): { response: bigint; version?: Hlc } {
    const k = keyOf(key);
    const e = this.live(k);
    this.checkFence(e, fencingToken);
    if (!e) return { response: 0n, version: undefined };
    this.entries.delete(k);
    this.changes++;
    return { response: 1n, version: this.clock.tick() };
  }

  /** Deletes only when the value matches: 1 deleted, 0 absent, -1 value differs. */
  vdel(key: Uint8Array, value: Uint8Array, fencingToken?: Hlc): { response: bigint; version?: Hlc } {
    const k = keyOf(key);
    const e = this.live(k);
    this.checkFence(e, fencingToken);
    if (!e) return { response: 0n, version: undefined };
    if (!sameBytes(e.value, value)) return { response: -1n, version: undefined };
    this.entries.delete(k);
    this.changes++;
    return { response: 1n, version: this.clock.tick() };
  }

  /** Plain key/value pairs (UTF-8 where possible), for seeding and inspection. */
  snapshot(): [string, string][] {
    const out: [string, string][] = [];
    for (const [k] of this.entries) {
      const e = this.live(k);
      if (e) out.push([Buffer.from(k, 'latin1').toString('utf8'), Buffer.from(e.value).toString('utf8')]);
    }
    return out;
  }

  /**
   * Seeds from JSON: an object map `{"k":"v"}` or the reference's local form
   * `[{"factoryId":"factoryA"},{"machineId":"machineA"}]`. Non-string values are
   * stored as their JSON text.
   */
  seed(json: unknown): void {
    for (const [k, v] of seedPairs(json)) this.set(Buffer.from(k), Buffer.from(v), { condition: 'unconditional' });
  }
}

/**
 * Key/value pairs of a state-store seed: an object map `{"k":"v"}` or the
 * reference's local form `[{"factoryId":"factoryA"},{"machineId":"machineA"}]`.
 * Non-string values become their JSON text.
 */
export function seedPairs(json: unknown): [string, string][] {
  if (json === null || typeof json !== 'object') throw new Error('state store seed must be a JSON object or an array of objects');
  const pairs: [string, unknown][] = Array.isArray(json)
    ? json.flatMap((o) => (o && typeof o === 'object' ? Object.entries(o) : []))
    : Object.entries(json);
  return pairs.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
}

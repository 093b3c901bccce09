/** Hybrid logical clock value, as carried by every item in a graph. */
export interface Hlc {
  secs: bigint;
  nanos: number;
  counter: bigint;
  nodeId: string;
}

/**
 * Parses the `__ts` user property: `<ms since epoch>:<counter>:<node id>`.
 * Zero padding is optional (`1758255553528:0:df` is accepted). Returns
 * undefined for anything else.
 */
export function parseHlc(text: string): Hlc | undefined {
  const parts = text.split(':');
  if (parts.length !== 3) return undefined;
  const [ms, counter, nodeId] = parts as [string, string, string];
  if (!/^\d{1,20}$/.test(ms) || !/^\d{1,20}$/.test(counter)) return undefined;
  const total = BigInt(ms);
  const c = BigInt(counter);
  if (total > 0xffff_ffff_ffff_ffffn || c > 0xffff_ffff_ffff_ffffn) return undefined;
  return { secs: total / 1000n, nanos: Number(total % 1000n) * 1_000_000, counter: c, nodeId };
}

/** Formats as the reference does: 15-digit ms, 5-digit counter, node id. */
export function formatHlc(h: Hlc): string {
  const ms = h.secs * 1000n + BigInt(Math.floor(h.nanos / 1_000_000));
  return `${ms.toString().padStart(15, '0')}:${h.counter.toString().padStart(5, '0')}:${h.nodeId}`;
}

export function hlcFromMillis(ms: number, counter = 0n, nodeId = 'wgs'): Hlc {
  const whole = BigInt(Math.floor(ms));
  return { secs: whole / 1000n, nanos: Number(whole % 1000n) * 1_000_000, counter, nodeId };
}

export function hlcToMillis(h: Hlc): number {
  return Number(h.secs) * 1000 + Math.floor(h.nanos / 1_000_000);
}

/** Orders by time, then counter (node id breaks no ties: it does not order events). */
export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.secs !== b.secs) return a.secs < b.secs ? -1 : 1;
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return 0;
}

/** Key identifying an epoch: items whose timestamps are equal share it. */
export function epochKey(h: Hlc): string {
  return `${h.secs}.${h.nanos.toString().padStart(9, '0')}.${h.counter}`;
}

/** A clock that issues increasing timestamps, folding in received ones (SDK update rules). */
export class HybridClock {
  private last: Hlc;

  constructor(readonly nodeId: string, private readonly now: () => number = Date.now, readonly maxDriftMs = 60_000) {
    this.last = hlcFromMillis(0, 0n, nodeId);
  }

  /** A fresh timestamp for a locally created event. */
  tick(): Hlc {
    const wall = hlcFromMillis(this.now(), 0n, this.nodeId);
    this.last = compareTime(wall, this.last) > 0 ? wall : { ...this.last, counter: this.last.counter + 1n, nodeId: this.nodeId };
    return this.last;
  }

  /**
   * Merges a received timestamp. Throws when it lies more than maxDriftMs in
   * the future, as the reference does.
   */
  update(received: Hlc): Hlc {
    const nowMs = this.now();
    if (hlcToMillis(received) - nowMs > this.maxDriftMs) {
      throw new Error(`timestamp ${formatHlc(received)} is more than ${this.maxDriftMs} ms in the future`);
    }
    const wall = hlcFromMillis(nowMs, 0n, this.nodeId);
    const tWall = compareTime(wall, this.last) > 0 && compareTime(wall, received) > 0;
    if (tWall) this.last = wall;
    else if (compareTime(received, this.last) === 0) {
      const c = received.counter > this.last.counter ? received.counter : this.last.counter;
      this.last = { ...this.last, counter: c + 1n };
    } else if (compareTime(received, this.last) > 0) this.last = { ...received, counter: received.counter + 1n, nodeId: this.nodeId };
    else this.last = { ...this.last, counter: this.last.counter + 1n };
    return this.last;
  }
}

function compareTime(a: Hlc, b: Hlc): number {
  if (a.secs !== b.secs) return a.secs < b.secs ? -1 : 1;
  if (a.nanos !== b.nanos) return a.nanos < b.nanos ? -1 : 1;
  return 0;
}

import type { EngineEvent } from '../engine/graph-engine.ts';

/**
 * Decides which observed events are worth sending on: at most `perSecond`
 * per operation and event kind (a token bucket, so short bursts pass), while
 * errors always pass. Counts stay exact elsewhere; this bounds what crosses
 * threads and sockets when thousands of messages per second flow.
 */
export class Sampler {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** Events not sent, per operation (shown as "n more" by a preview). */
  readonly skipped = new Map<string, number>();

  constructor(private readonly perSecond: number, private readonly now: () => number = () => performance.now()) {}

  accept(e: EngineEvent): boolean {
    if (e.type === 'error') return true;
    const key = `${e.operation}\u0000${e.type}`;
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.perSecond, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(this.perSecond, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    this.skipped.set(e.operation, (this.skipped.get(e.operation) ?? 0) + 1);
    return false;
  }
}

/**
 * Throughput history per operation for the node sparklines: messages per
 * second into each operation, one point per tick, from the exact counters
 * (never from samples, which are rate limited).
 */
import type { Counters } from './messages.ts';

/** Points kept per operation (30 ticks of a second: the last half minute). */
export const RATE_POINTS = 30;

export interface RateTick {
  /** Counters at the previous tick (totals). */
  counters: Record<string, Counters>;
  at: number;
}

const sameNumbers = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The histories after one tick. An operation whose history is unchanged
 * (e.g. idle: zeros sliding over zeros) keeps the same array, so its
 * sparkline does not re-render. Counters going down (a clear) count as zero.
 */
export function nextRates(
  previous: Record<string, number[]>,
  last: RateTick | undefined,
  counters: Record<string, Counters>,
  at: number,
  points = RATE_POINTS,
): Record<string, number[]> {
  const seconds = last ? (at - last.at) / 1000 : 0;
  const out: Record<string, number[]> = {};
  for (const [op, c] of Object.entries(counters)) {
    const before = last?.counters[op]?.in ?? 0;
    const rate = seconds > 0 ? Math.max(0, c.in - before) / seconds : 0;
    const old = previous[op] ?? [];
    const next = [...old, Math.round(rate)].slice(-points);
    out[op] = sameNumbers(old, next) ? old : next;
  }
  return out;
}

/** SVG polyline points for a history, scaled to width × height (newest at the right, 0 at the bottom). */
export function sparklinePoints(rates: readonly number[], width: number, height: number, points = RATE_POINTS): string {
  if (!rates.length) return '';
  const max = Math.max(1, ...rates);
  const step = width / Math.max(1, points - 1);
  // Right-aligned, so a fresh preview grows from the right edge like a scrolling chart.
  const offset = (points - rates.length) * step;
  return rates.map((r, i) => `${(offset + i * step).toFixed(1)},${(height - (r / max) * height).toFixed(1)}`).join(' ');
}

import { describe, expect, it } from 'vitest';
import { nextRates, RATE_POINTS, sparklinePoints } from './throughput.ts';

const c = (n: number) => ({ in: n, out: n, dropped: 0, errors: 0 });

describe('throughput history', () => {
  it('turns counter deltas into msg/s over the real interval, capped at RATE_POINTS, clears counting as zero', () => {
    let rates = nextRates({}, undefined, { a: c(100) }, 0);
    expect(rates).toEqual({ a: [0] });
    rates = nextRates(rates, { counters: { a: c(100) }, at: 0 }, { a: c(1100) }, 500);
    expect(rates.a).toEqual([0, 2000]);
    // Counters reset by a clear: not a negative rate.
    rates = nextRates(rates, { counters: { a: c(1100) }, at: 500 }, { a: c(10) }, 1500);
    expect(rates.a).toEqual([0, 2000, 0]);
    for (let i = 0; i < 50; i++) rates = nextRates(rates, { counters: { a: c(i) }, at: i * 1000 }, { a: c(i + 1) }, (i + 1) * 1000);
    expect(rates.a).toHaveLength(RATE_POINTS);
    expect(rates.a!.every((r) => r === 1)).toBe(true);
  });

  it('keeps the same array for an operation whose history did not change', () => {
    const flat = Array.from({ length: RATE_POINTS }, () => 0);
    const next = nextRates({ idle: flat, busy: flat }, { counters: { idle: c(5), busy: c(5) }, at: 0 }, { idle: c(5), busy: c(7) }, 1000);
    expect(next.idle).toBe(flat);
    expect(next.busy).not.toBe(flat);
    expect(next.busy!.at(-1)).toBe(2);
  });

  it('draws right-aligned points scaled to the largest rate', () => {
    expect(sparklinePoints([], 60, 10)).toBe('');
    expect(sparklinePoints([0, 5, 10], 40, 10, 5)).toBe('20.0,10.0 30.0,5.0 40.0,0.0');
    // All zero: a flat line on the bottom (no division by zero).
    expect(sparklinePoints([0, 0], 10, 10, 2)).toBe('0.0,10.0 10.0,10.0');
  });
});

import { describe, expect, it } from 'vitest';
import { hlcFromMillis } from '@wgs/graph-model';
import type { EngineEvent } from '../engine/graph-engine.ts';
import { Sampler } from './sampler.ts';
import { RingBuffer } from './ring-buffer.ts';

const item = { kind: 'bytes' as const, timestamp: hlcFromMillis(0), bytes: new Uint8Array() };
const ev = (operation: string, type: 'in' | 'out' = 'in'): EngineEvent => ({ type, operation, item });

describe('Sampler', () => {
  it('lets through at most the rate per operation and kind, refilling with time', () => {
    let now = 0;
    const s = new Sampler(5, () => now);
    const accepted = () => Array.from({ length: 100 }, () => s.accept(ev('a'))).filter(Boolean).length;
    expect(accepted()).toBe(5);
    now += 1000;
    expect(accepted()).toBe(5);
    now += 200;
    expect(accepted()).toBe(1);
    expect(s.skipped.get('a')).toBe(95 + 95 + 99);
  });

  it('keeps separate budgets per operation and event kind, and never drops errors', () => {
    const s = new Sampler(1, () => 0);
    expect(s.accept(ev('a', 'in'))).toBe(true);
    expect(s.accept(ev('a', 'out'))).toBe(true);
    expect(s.accept(ev('b', 'in'))).toBe(true);
    expect(s.accept(ev('a', 'in'))).toBe(false);
    for (let i = 0; i < 10; i++) expect(s.accept({ type: 'error', operation: 'a', message: 'x', trap: false })).toBe(true);
  });
});

describe('RingBuffer', () => {
  it('keeps the newest values in order', () => {
    const r = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.last(2)).toEqual([4, 5]);
    r.clear();
    expect(r.toArray()).toEqual([]);
    expect(() => new RingBuffer(0)).toThrow();
  });
});

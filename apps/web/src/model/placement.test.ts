import { describe, expect, it } from 'vitest';
import { freeSpotNear } from './placement.ts';
import { NODE_HEIGHT, NODE_WIDTH } from './flow.ts';

const apart = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT;

describe('free spot', () => {
  it('keeps a free spot', () => {
    expect(freeSpotNear({ x: 0, y: 0 }, [{ x: 1000, y: 1000 }])).toEqual({ x: 0, y: 0 });
  });

  it('moves off taken spots, to the nearest free one, and never onto a node', () => {
    const taken = [{ x: 0, y: 0 }];
    for (let i = 0; i < 12; i++) {
      const spot = freeSpotNear({ x: 10, y: 5 }, taken);
      expect(taken.every((t) => apart(spot, t))).toBe(true);
      taken.push(spot);
    }
    // The first alternatives are neighbours, not far away.
    expect(Math.abs(taken[1]!.y - 5)).toBeLessThan(NODE_HEIGHT * 2);
  });
});

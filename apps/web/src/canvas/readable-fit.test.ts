import { describe, expect, it } from 'vitest';
import { MIN_READABLE_ZOOM, readableViewport } from './readable-fit.ts';

const pad = { top: 60, right: 24, bottom: 120, left: 150 };

describe('readable fit view', () => {
  it('a small graph is centred, never zoomed in beyond the maximum', () => {
    const v = readableViewport({ x: 0, y: 0, width: 100, height: 100 }, { width: 800, height: 600 }, pad);
    expect(v.zoom).toBe(1.5);
    expect(v.x).toBeCloseTo(150 + (626 - 150) / 2);
    expect(v.y).toBeCloseTo(60 + (420 - 150) / 2);
  });

  it('a graph that fits at a readable zoom is shown whole, centred', () => {
    const v = readableViewport({ x: 100, y: 50, width: 700, height: 500 }, { width: 800, height: 600 }, pad);
    expect(v.zoom).toBeCloseTo(420 / 500);
    expect(v.y).toBeCloseTo(60 - 50 * v.zoom);
    expect(v.x).toBeCloseTo(150 + (626 - 700 * v.zoom) / 2 - 100 * v.zoom);
  });

  it('a large graph keeps the readable zoom with its top-left start in view', () => {
    const v = readableViewport({ x: -200, y: -100, width: 2400, height: 2000 }, { width: 768, height: 560 }, pad, -200);
    expect(v.zoom).toBe(MIN_READABLE_ZOOM);
    expect(v.x).toBeCloseTo(150 + 200 * 0.75);
    expect(v.y).toBeCloseTo(60 + 100 * 0.75);
  });

  it('a wide graph shows its top row centred across (never past its edges) and is centred down when short', () => {
    const v = readableViewport({ x: 0, y: 0, width: 3000, height: 200 }, { width: 800, height: 600 }, pad, 1500);
    expect(v.zoom).toBe(MIN_READABLE_ZOOM);
    expect(v.x).toBeCloseTo(150 + 626 / 2 - 1500 * 0.75);
    expect(v.y).toBeCloseTo(60 + (420 - 150) / 2);
    expect(readableViewport({ x: 0, y: 0, width: 3000, height: 200 }, { width: 800, height: 600 }, pad, 0).x).toBe(150);
  });
});

/**
 * Where a new operation goes: the wanted spot if it is free, else the nearest
 * free one, searched ring by ring on a grid of node-sized cells, so a node is
 * never dropped on top of another.
 */
import { NODE_HEIGHT, NODE_WIDTH } from './flow.ts';

export type Point = { x: number; y: number };

/** Space kept between nodes. */
const GAP = 24;
const STEP_X = NODE_WIDTH + GAP;
const STEP_Y = NODE_HEIGHT + GAP;

const overlaps = (a: Point, b: Point) => Math.abs(a.x - b.x) < NODE_WIDTH + GAP && Math.abs(a.y - b.y) < NODE_HEIGHT + GAP;

/** The free spot nearest to `wanted` (top-left corners, flow coordinates) given the nodes already placed. */
export function freeSpotNear(wanted: Point, taken: readonly Point[]): Point {
  const free = (p: Point) => !taken.some((t) => overlaps(p, t));
  if (free(wanted)) return wanted;
  for (let ring = 1; ring < 100; ring++) {
    const candidates: Point[] = [];
    for (let dx = -ring; dx <= ring; dx++) {
      for (let dy = -ring; dy <= ring; dy++) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        candidates.push({ x: wanted.x + dx * STEP_X, y: wanted.y + dy * STEP_Y });
      }
    }
    // Nearest first (by distance on screen), below and right before above and left when equal.
    candidates.sort((a, b) => Math.hypot(a.x - wanted.x, a.y - wanted.y) - Math.hypot(b.x - wanted.x, b.y - wanted.y) || b.y - a.y || b.x - a.x);
    const spot = candidates.find(free);
    if (spot) return spot;
  }
  return wanted;
}

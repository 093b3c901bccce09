/** Adding a built-in from the menu: the node, its defaults, and a free spot in the transforms' column. */
import type { BuiltinKind, DataflowGraphResource } from '@wgs/graph-model';
import { readLayout, writeLayout } from '../manifest.ts';
import { COLUMN_WIDTH } from '../flow.ts';
import { addBuiltin } from './config.ts';

type Point = { x: number; y: number };

/** The dataflow node's size and the space kept around it. */
const CELL = { w: 250 + 30, h: 110 + 20 };

/** The first spot in the transforms' column (then the next columns) that overlaps no node. */
export function freeSpot(taken: readonly Point[]): Point {
  const free = (p: Point) => !taken.some((t) => Math.abs(t.x - p.x) < CELL.w && Math.abs(t.y - p.y) < CELL.h);
  for (let col = 0; col < 20; col++) {
    for (let row = 0; row < 20; row++) {
      const p = { x: COLUMN_WIDTH + col * CELL.w, y: row * CELL.h };
      if (free(p)) return p;
    }
  }
  return { x: COLUMN_WIDTH, y: 0 };
}

/** The text with the built-in added at a free spot (only its own position is written; the others keep theirs). */
export function addBuiltinAt(text: string, value: DataflowGraphResource | undefined, kind: BuiltinKind, taken: readonly Point[], version?: string): { text: string; name: string } {
  const added = addBuiltin(text, kind, version);
  const spot = freeSpot(taken);
  const layout = { ...readLayout(value), [added.name]: [spot.x, spot.y] as [number, number] };
  return { text: writeLayout(added.text, layout), name: added.name };
}

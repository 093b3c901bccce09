/** Adding a built-in from the menu: the node, its defaults, and a free spot in the transforms' column. */
import type { BuiltinKind, DataflowGraphResource } from '@wgs/graph-model';
import { readLayout, writeLayout } from '../manifest.ts';
import { COLUMN_WIDTH, ROW_HEIGHT, overlapsAny } from '../flow.ts';
import { addBuiltin } from './config.ts';

type Point = { x: number; y: number };

/** The data-flow node's size (200 px wide) and the space kept around it: the layout's pitch. */
const CELL = { w: COLUMN_WIDTH - 20, h: ROW_HEIGHT };

/** The first spot in the transforms' column (then the next columns) that overlaps no node. */
export function freeSpot(taken: readonly Point[]): Point {
  for (let col = 0; col < 20; col++) {
    for (let row = 0; row < 20; row++) {
      const p = { x: COLUMN_WIDTH + col * CELL.w, y: row * CELL.h };
      if (!overlapsAny(p, taken)) return p;
    }
  }
  return { x: COLUMN_WIDTH, y: 0 };
}

/**
 * The text with the built-in added. While the flow is laid out automatically (no `wgs.dev/layout`)
 * the layout places it by its connections; once the user has arranged the nodes (the annotation
 * pins them all) it goes to a free spot, pinned too, so it lands on none of them.
 */
export function addBuiltinAt(text: string, value: DataflowGraphResource | undefined, kind: BuiltinKind, taken: readonly Point[], version?: string): { text: string; name: string } {
  const added = addBuiltin(text, kind, version);
  const arranged = readLayout(value);
  if (!Object.keys(arranged).length) return added;
  const spot = freeSpot(taken);
  return { text: writeLayout(added.text, { ...arranged, [added.name]: [spot.x, spot.y] }), name: added.name };
}

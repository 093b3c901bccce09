/**
 * Where a data-flow node goes when the user never placed it: columns by the
 * longest path from a source (a chain of built-ins reads left to right, as in
 * the operations experience), destinations in the last column, and within a
 * column the order of the nodes that feed them (a branch's true arm above its
 * false arm), each column centred on the tallest one so edges stay short.
 */
export interface LayoutNode { name: string; nodeType: string }
/** `from` may name a branch arm (`node.output.true`). */
export interface LayoutLink { from: string; to: string }
export interface Spacing { column: number; row: number }

const armOf = (from: string) => (from.endsWith('.output.true') ? -0.25 : from.endsWith('.output.false') ? 0.25 : 0);
const nodeOf = (from: string) => from.split('.')[0]!;

export function autoLayout(nodes: LayoutNode[], links: LayoutLink[], spacing: Spacing): Map<string, { x: number; y: number }> {
  const names = new Set(nodes.map((n) => n.name));
  const feeds = new Map<string, LayoutLink[]>(nodes.map((n) => [n.name, []]));
  for (const l of links) if (names.has(nodeOf(l.from)) && names.has(l.to) && nodeOf(l.from) !== l.to) feeds.get(l.to)!.push(l);

  // Longest path from a source; a cycle (an invalid graph being typed) stops at the node count.
  const rank = new Map<string, number>();
  for (const n of nodes) rank.set(n.name, n.nodeType === 'Source' ? 0 : 1);
  for (let pass = 0; pass < nodes.length; pass++) {
    let moved = false;
    for (const n of nodes) {
      if (n.nodeType === 'Source') continue;
      const r = Math.max(1, ...feeds.get(n.name)!.map((l) => rank.get(nodeOf(l.from))! + 1));
      if (r !== rank.get(n.name) && r <= nodes.length) { rank.set(n.name, r); moved = true; }
    }
    if (!moved) break;
  }
  const last = Math.max(2, ...nodes.filter((n) => n.nodeType !== 'Destination').map((n) => rank.get(n.name)! + 1));
  for (const n of nodes) if (n.nodeType === 'Destination') rank.set(n.name, last);

  // Columns left to right; a node's order is the mean order of what feeds it (its own index when nothing does).
  const order = new Map<string, number>();
  const columns: string[][] = [];
  for (let r = 0; r <= last; r++) {
    const here = nodes.map((n, i) => ({ n, i })).filter(({ n }) => rank.get(n.name) === r);
    const key = ({ n, i }: { n: LayoutNode; i: number }) => {
      const placed = feeds.get(n.name)!.filter((l) => order.has(nodeOf(l.from)));
      return placed.length ? placed.reduce((s, l) => s + order.get(nodeOf(l.from))! + armOf(l.from), 0) / placed.length : i;
    };
    const sorted = here.map((x) => ({ name: x.n.name, key: key(x), i: x.i })).sort((a, b) => a.key - b.key || a.i - b.i);
    sorted.forEach((x, row) => order.set(x.name, row));
    columns.push(sorted.map((x) => x.name));
  }
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const out = new Map<string, { x: number; y: number }>();
  columns.forEach((column, r) => {
    const offset = ((tallest - column.length) / 2) * spacing.row;
    column.forEach((name, row) => out.set(name, { x: r * spacing.column, y: offset + row * spacing.row }));
  });
  return out;
}

/**
 * A data-flow preview's counters per canvas node and per connection. The
 * preview counts composite operations (`<node>/<op>`, the Source nodes'
 * joined source, one sink per Destination; docs/architecture.md "Data flows
 * with several transforms"); the canvas shows nodes, so they are summed here.
 */
import { nodeOfOperation, sourcesFeedDifferentNodes, type DataflowGraphResource } from '@wgs/graph-model';
import type { Counters } from '../preview/messages.ts';

export interface DataflowLiveCounts {
  /** By node name. A Graph node: in at its graph's `source`, out at its sinks, drops and errors of all its operations. */
  nodes: Record<string, Counters>;
  /** Messages that went along each connection (by its index in `spec.nodeConnections`). */
  edges: Record<number, number>;
}

const ZERO: Counters = { in: 0, out: 0, dropped: 0, errors: 0 };
/** A graph's outputs, as the built-ins and samples name them: `sink`, a branch's `output.true` / `output.false`. */
const isSink = (op: string) => op === 'sink' || op.startsWith('output.');

/** Whether the counters come from a data-flow preview (a definition's operations have no `<node>/` prefix). */
export const isDataflowPreview = (counters: Record<string, Counters>) => Object.keys(counters).some((op) => op.includes('/'));

export function dataflowLiveCounts(value: DataflowGraphResource | undefined, counters: Record<string, Counters>): DataflowLiveCounts {
  const result: DataflowLiveCounts = { nodes: {}, edges: {} };
  if (!isDataflowPreview(counters)) return result;
  // Operations grouped by node; the inner name after `<node>/`.
  const inner = new Map<string, [string, Counters][]>();
  for (const [op, c] of Object.entries(counters)) {
    const node = nodeOfOperation(op);
    if (node === op) continue;
    const list = inner.get(node) ?? [];
    list.push([op.slice(node.length + 1), c]);
    inner.set(node, list);
  }
  // Several Source nodes share one composite source (`a+b`): each shows its counts.
  const sourceOf = (name: string) => Object.entries(counters).find(([op]) => !op.includes('/') && op.split('+').includes(name))?.[1];
  const sinksOut = (ops: [string, Counters][]) => ops.filter(([op]) => isSink(op)).reduce((n, [, c]) => n + c.in, 0);
  const kinds = new Map<string, string>();
  for (const n of value?.spec?.nodes ?? []) {
    if (!n || typeof n.name !== 'string') continue;
    kinds.set(n.name, n.nodeType);
    if (n.nodeType === 'Source') {
      const c = sourceOf(n.name);
      if (c) result.nodes[n.name] = c;
    } else if (n.nodeType === 'Destination') {
      const c = counters[n.name];
      if (c) result.nodes[n.name] = c;
    } else if (n.nodeType === 'Graph') {
      const ops = inner.get(n.name);
      if (!ops) continue;
      const sum = ops.reduce((s, [, c]) => ({ ...s, dropped: s.dropped + c.dropped, errors: s.errors + c.errors }), ZERO);
      result.nodes[n.name] = { ...sum, in: ops.find(([op]) => op === 'source')?.[1].in ?? 0, out: sinksOut(ops) };
    }
  }
  const connections = value?.spec?.nodeConnections ?? [];
  // `<node>.<output>`: the longest known node name before a dot (names may hold dots).
  const nodeOf = (from: string) => [...kinds.keys()].filter((k) => from === k || from.startsWith(`${k}.`)).sort((a, b) => b.length - a.length)[0];
  // Source nodes feeding different nodes: the shared source routes by topic, so its out is not what one Source node sent.
  const routed = !!value && sourcesFeedDifferentNodes(value);
  const enteredFromSourcesOnly = (to: string): number | undefined => {
    const inputs = connections.filter((c) => c?.to?.name === to).map((c) => nodeOf(c.from?.name ?? ''));
    if (!inputs.every((n) => n !== undefined && kinds.get(n) === 'Source')) return undefined;
    return kinds.get(to) === 'Destination' ? counters[to]?.in : inner.get(to)?.find(([op]) => op === 'source')?.[1].in;
  };
  connections.forEach((conn, index) => {
    const from = conn?.from?.name;
    if (typeof from !== 'string') return;
    const node = nodeOf(from);
    if (!node) return;
    const output = from.slice(node.length + 1);
    if (kinds.get(node) === 'Source') {
      const c = sourceOf(node);
      // Routed: what entered the target when only Source nodes feed it (exactly what the routing sent along these connections).
      if (c) result.edges[index] = (routed ? enteredFromSourcesOnly(conn.to?.name ?? '') : undefined) ?? c.out;
    } else if (kinds.get(node) === 'Graph') {
      const ops = inner.get(node);
      if (!ops) return;
      result.edges[index] = output ? ops.find(([op]) => op === output)?.[1].in ?? 0 : sinksOut(ops);
    }
  });
  return result;
}

import { useMemo } from 'react';
import { usePreview } from '../preview/store.ts';
import type { Counters } from '../preview/messages.ts';
import { useDataflow } from './store.ts';
import type { DataflowEdge, DataflowNode } from './flow.ts';
import { dataflowLiveCounts } from './live-counts.ts';

const NONE: Record<string, Counters> = {};

/** An edge's label with its message count: `output.true · 12 msgs`. */
export const edgeCountLabel = (label: unknown, n: number) => [typeof label === 'string' ? label : '', `${n} msg${n === 1 ? '' : 's'}`].filter(Boolean).join(' · ');

/**
 * The canvas's nodes and edges with a running preview's counts: nodes get
 * `data.live`, edges a label with their message count. Only while a preview
 * runs; the store's nodes stay as derived from the text.
 */
export function useLiveFlow(nodes: DataflowNode[], edges: DataflowEdge[]): { nodes: DataflowNode[]; edges: DataflowEdge[] } {
  const value = useDataflow((s) => s.value);
  const counters = usePreview((s) => (s.status === 'running' ? s.counters : NONE));
  return useMemo(() => {
    const live = dataflowLiveCounts(value, counters);
    if (!Object.keys(live.nodes).length && !Object.keys(live.edges).length) return { nodes, edges };
    return {
      nodes: nodes.map((n) => (live.nodes[n.id] ? { ...n, data: { ...n.data, live: live.nodes[n.id] } } : n)),
      edges: edges.map((e) => {
        const count = e.data ? live.edges[e.data.index] : undefined;
        return count === undefined ? e : { ...e, label: edgeCountLabel(e.label, count), className: [e.className, 'edge-live'].filter(Boolean).join(' ') };
      }),
    };
  }, [nodes, edges, value, counters]);
}

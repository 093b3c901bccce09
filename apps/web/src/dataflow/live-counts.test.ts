import { describe, expect, it } from 'vitest';
import type { DataflowGraphResource } from '@wgs/graph-model';
import { dataflowLiveCounts } from './live-counts.ts';

const c = (i: number, o: number, dropped = 0, errors = 0) => ({ in: i, out: o, dropped, errors });
const node = (name: string, nodeType: string) => ({ name, nodeType });
const conn = (from: string, to: string) => ({ from: { name: from }, to: { name: to } });

// Two sources → split (branch) → true arm: hot.v1 (a name with a dot) → out-hot; false arm: out-cold.
const flow = {
  spec: {
    nodes: [node('a', 'Source'), node('b', 'Source'), node('split', 'Graph'), node('hot.v1', 'Graph'), node('out-hot', 'Destination'), node('out-cold', 'Destination')],
    nodeConnections: [conn('a', 'split'), conn('b', 'split'), conn('split.output.true', 'hot.v1'), conn('split.output.false', 'out-cold'), conn('hot.v1', 'out-hot')],
  },
} as unknown as DataflowGraphResource;

const counters = {
  'a+b': c(10, 10),
  'split/source': c(10, 10), 'split/branch': c(10, 9, 0, 1), 'split/output.true': c(6, 6), 'split/output.false': c(3, 3),
  'hot.v1/source': c(6, 6), 'hot.v1/filter': c(6, 4, 2, 0), 'hot.v1/sink': c(4, 4),
  'out-hot': c(4, 4), 'out-cold': c(3, 3),
};

describe('data-flow preview counters per node', () => {
  it('sums a Graph node: in at its source, out at its sinks, drops and errors of every operation', () => {
    const { nodes } = dataflowLiveCounts(flow, counters);
    expect(nodes.split).toEqual(c(10, 9, 0, 1));
    expect(nodes['hot.v1']).toEqual(c(6, 4, 2, 0));
  });

  it('gives each Source node the shared source and each Destination its sink', () => {
    const { nodes } = dataflowLiveCounts(flow, counters);
    expect(nodes.a).toEqual(c(10, 10));
    expect(nodes.b).toEqual(c(10, 10));
    expect(nodes['out-hot']).toEqual(c(4, 4));
    expect(nodes['out-cold']).toEqual(c(3, 3));
  });

  it('counts each connection at what its `from` sent: an arm, all sinks, or the source', () => {
    expect(dataflowLiveCounts(flow, counters).edges).toEqual({ 0: 10, 1: 10, 2: 6, 3: 3, 4: 4 });
  });

  it('when Source nodes feed different nodes (routed by topic), counts a Source connection at what entered its target, if only Source nodes feed it', () => {
    // a → split; b → out-cold and split.output.false → out-cold: the shared source routed 7 of its 10 into split, 3 to out-cold.
    const routedFlow = {
      spec: {
        nodes: flow.spec.nodes,
        nodeConnections: [conn('a', 'split'), conn('b', 'out-cold'), conn('split.output.true', 'hot.v1'), conn('split.output.false', 'out-cold'), conn('hot.v1', 'out-hot')],
      },
    } as unknown as DataflowGraphResource;
    const routedCounters = { ...counters, 'a+b': c(11, 10, 1), 'split/source': c(7, 7), 'out-cold': c(5, 5) };
    const { nodes, edges } = dataflowLiveCounts(routedFlow, routedCounters);
    expect(edges[0]).toBe(7);
    // out-cold is also fed by split: the shared source's out is all that can be said.
    expect(edges[1]).toBe(10);
    // Each Source node still shows the shared source: messages read, routed, and read but matching no Source node.
    expect(nodes.a).toEqual(c(11, 10, 1));
    expect(dataflowLiveCounts({ spec: { ...routedFlow.spec, nodeConnections: [conn('a', 'split'), conn('b', 'out-cold')] } } as unknown as DataflowGraphResource, routedCounters).edges).toEqual({ 0: 7, 1: 5 });
  });

  it('ignores a definition preview (no `<node>/` operations) and nodes without counters yet', () => {
    expect(dataflowLiveCounts(flow, { source: c(1, 1), sink: c(1, 1), 'out-hot': c(1, 1) })).toEqual({ nodes: {}, edges: {} });
    const partial = dataflowLiveCounts(flow, { 'split/source': c(2, 2) });
    expect(Object.keys(partial.nodes)).toEqual(['split']);
    expect(partial.edges).toEqual({ 2: 0, 3: 0 });
  });
});

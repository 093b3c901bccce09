/** Automatic layout with elk's layered algorithm (top to bottom, branch arms True left of False). */
import type { ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import { NODE_HEIGHT, NODE_WIDTH, type FlowGraph } from './flow.ts';

type Elk = { layout(graph: ElkNode): Promise<ElkNode> };
let elk: Promise<Elk> | undefined;

// elk is 1.4 MB: fetched with the first layout, not with the page. The bundle is
// CommonJS: Node hands over module.exports as the default, Vite too.
const loadElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new (m.default as unknown as new () => Elk)()));

export async function layoutPositions(flow: FlowGraph): Promise<Map<string, { x: number; y: number }>> {
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
      'elk.spacing.nodeNode': '40',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
    },
    children: flow.nodes.map((n) => ({
      id: n.id,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
      ports: <ElkPort[]>[
        { id: `${n.id}::in`, layoutOptions: { 'elk.port.side': 'NORTH' } },
        ...(n.data.operationType === 'branch'
          ? [
              // Port order runs clockwise, so on the south side the higher index is further left.
              { id: `${n.id}::True`, layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': '1' } },
              { id: `${n.id}::False`, layoutOptions: { 'elk.port.side': 'SOUTH', 'elk.port.index': '0' } },
            ]
          : [{ id: `${n.id}::out`, layoutOptions: { 'elk.port.side': 'SOUTH' } }]),
      ],
    })),
    edges: flow.edges.map((e) => ({
      id: e.id,
      sources: [`${e.source}::${e.sourceHandle ?? 'out'}`],
      targets: [`${e.target}::in`],
    })),
  };
  const laid = await (await loadElk()).layout(root);
  const out = new Map<string, { x: number; y: number }>();
  for (const c of laid.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}

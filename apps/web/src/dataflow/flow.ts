/**
 * A DataflowGraph as React Flow nodes and edges: sources on the left, graph
 * transforms in the middle, destinations on the right (the operations
 * experience's layout), unless the user moved them (the layout annotation).
 */
import type { Edge, Node } from '@xyflow/react';
import { builtinKindOf, type DataflowGraphResource, type Diagnostic, type SourceNode } from '@wgs/graph-model';
import type { NodeType } from './manifest.ts';
import { readLayout } from './manifest.ts';
import { autoLayout } from './auto-layout.ts';
import type { Counters } from '../preview/messages.ts';

export interface DataflowNodeData extends Record<string, unknown> {
  name: string;
  nodeType: NodeType | 'Unknown';
  /** One line under the name: endpoint and topics, or the artifact. */
  summary: string;
  detail?: string;
  errors: string[];
  warnings: string[];
  /** Changed since the graph was opened or saved. */
  dirty: boolean;
  /** A built-in branch: two output handles, `output.true` and `output.false`. */
  branch?: boolean;
  /** A built-in transform's kind (map, filter…), named in the node's head. */
  builtin?: string;
  /** A running data-flow preview's counts for this node (live-counts.ts); set by the canvas, not derived from the text. */
  live?: Counters;
}

export type DataflowNode = Node<DataflowNodeData, 'dataflow'>;
export type DataflowEdge = Edge<{ index: number }>;

/** Node pitch: a 200 px node and 50 px for its edge; a column is one step of the flow; a row fits a node with live counts. */
export const COLUMN_WIDTH = 250;
export const ROW_HEIGHT = 145;

function summaryOf(n: Record<string, unknown>): { summary: string; detail?: string } {
  const s = n.sourceSettings as { endpointRef?: string; dataSources?: string[] } | undefined;
  if (n.nodeType === 'Source') return { summary: s?.endpointRef ?? '(no endpoint)', detail: (s?.dataSources ?? []).join(', ') || '(no topics)' };
  const g = n.graphSettings as { registryEndpointRef?: string; artifact?: string; configuration?: unknown[] } | undefined;
  const builtin = builtinKindOf(g?.artifact);
  // A built-in reads as what it is (its head says which); the artifact's tag is the version that matters.
  if (n.nodeType === 'Graph' && builtin) return { summary: `${g?.artifact?.split(/[:@]/)[1] ?? ''} · ${g?.registryEndpointRef ?? '?'}`, detail: `${g?.configuration?.length ?? 0} configured` };
  if (n.nodeType === 'Graph') return { summary: g?.artifact || '(pick a graph artifact)', detail: `${g?.registryEndpointRef ?? '?'} · ${g?.configuration?.length ?? 0} configured` };
  const d = n.destinationSettings as { endpointRef?: string; dataDestination?: string } | undefined;
  if (n.nodeType === 'Destination') return { summary: d?.endpointRef ?? '(no endpoint)', detail: d?.dataDestination || '(no destination)' };
  return { summary: `unknown nodeType "${String(n.nodeType)}"` };
}

/** The node a diagnostic path (spec.nodes[i]… or spec.nodeConnections[i]…) points at. */
export function diagnosticNode(d: Diagnostic, value: DataflowGraphResource | undefined): { node?: string; connection?: number } {
  const nodeAt = /^spec\.nodes\[(\d+)\]/.exec(d.path);
  if (nodeAt) return { node: value?.spec?.nodes?.[Number(nodeAt[1])]?.name };
  const connAt = /^spec\.nodeConnections\[(\d+)\]/.exec(d.path);
  if (connAt) return { connection: Number(connAt[1]) };
  return {};
}

/** `at`, or the first spot below it that no pinned node overlaps. */
function clearOf(at: { x: number; y: number }, pinned: { x: number; y: number }[]): { x: number; y: number } {
  let y = at.y;
  for (let i = 0; i < 50 && overlapsAny({ x: at.x, y }, pinned); i++) y += ROW_HEIGHT;
  return { x: at.x, y };
}

/** Whether a node at `at` would lie on one of the nodes at `others` (a 200 px node and its margin, a row). */
export function overlapsAny(at: { x: number; y: number }, others: readonly { x: number; y: number }[]): boolean {
  return others.some((o) => Math.abs(o.x - at.x) < COLUMN_WIDTH - 20 && Math.abs(o.y - at.y) < ROW_HEIGHT);
}

/** Node name without a branch output suffix (`node.output.true` → `node`). */
export const baseName = (name: string) => name.split('.')[0]!;

export function dataflowToFlow(
  value: DataflowGraphResource | undefined,
  diagnostics: Diagnostic[],
  dirtyNodes: Set<string> = new Set(),
): { nodes: DataflowNode[]; edges: DataflowEdge[] } {
  const raw = Array.isArray(value?.spec?.nodes) ? (value!.spec.nodes as unknown as Record<string, unknown>[]) : [];
  const layout = readLayout(value);
  const named = raw.filter((n) => n && typeof n.name === 'string');
  const conns = Array.isArray(value?.spec?.nodeConnections) ? value!.spec.nodeConnections : [];
  const auto = autoLayout(
    named.map((n) => ({ name: n.name as string, nodeType: String(n.nodeType) })),
    conns.flatMap((c) => (typeof c?.from?.name === 'string' && typeof c?.to?.name === 'string' ? [{ from: c.from.name, to: c.to.name }] : [])),
    { column: COLUMN_WIDTH, row: ROW_HEIGHT },
  );
  const pinned = Object.values(layout).map(([x, y]) => ({ x, y }));
  const nodes: DataflowNode[] = named.map((n) => {
    const name = n.name as string;
    const nodeType = (['Source', 'Graph', 'Destination'].includes(n.nodeType as string) ? n.nodeType : 'Unknown') as DataflowNodeData['nodeType'];
    const saved = layout[name];
    // Not arranged by hand: placed by the connections every time, so a connection made moves the flow into shape
    // (below any node the user has pinned there).
    const position = saved ? { x: saved[0], y: saved[1] } : clearOf(auto.get(name)!, pinned);
    const builtin = nodeType === 'Graph' ? builtinKindOf((n.graphSettings as { artifact?: string } | undefined)?.artifact) : undefined;
    const branch = builtin === 'branch';
    return { id: name, type: 'dataflow', position, data: { name, nodeType, ...summaryOf(n), errors: [], warnings: [], dirty: dirtyNodes.has(name), ...(branch ? { branch } : {}), ...(builtin ? { builtin } : {}) } };
  });
  const edges: DataflowEdge[] = conns.flatMap((c, index) => {
    const from = c?.from?.name;
    const to = c?.to?.name;
    if (typeof from !== 'string' || typeof to !== 'string') return [];
    const output = from.includes('.') ? from.slice(from.indexOf('.') + 1) : undefined;
    // Edges from a branch leave its arm's handle, which names the arm: the label does not repeat it.
    const arm = output && nodes.find((n) => n.id === baseName(from))?.data.branch ? { sourceHandle: output } : {};
    // The schema by name and version (its namespace is in the side panel): a label fits between columns.
    const schema = c.from.schema?.schemaRef?.replace(/^aio-sr:\/\/([^/]*\/)?/, '');
    const label = [arm.sourceHandle ? undefined : output, schema && `schema ${schema}`].filter(Boolean).join(' · ');
    return [{ id: `n${index}`, source: baseName(from), target: to, data: { index }, ...arm, ...(label ? { label } : {}) }];
  });
  for (const d of diagnostics) {
    const at = diagnosticNode(d, value);
    const node = at.node ? nodes.find((n) => n.id === at.node) : undefined;
    if (node) (d.severity === 'error' ? node.data.errors : node.data.warnings).push(d.message);
    const edge = at.connection !== undefined ? edges.find((e) => e.data?.index === at.connection) : undefined;
    if (edge && d.severity === 'error') edge.className = 'edge-error';
  }
  return { nodes, edges };
}

/** Names of nodes whose definition differs between two resources (added or changed). */
export function changedNodes(baseline: DataflowGraphResource | undefined, current: DataflowGraphResource | undefined): Set<string> {
  const before = new Map((baseline?.spec?.nodes ?? []).map((n) => [n?.name, JSON.stringify(n)]));
  return new Set((current?.spec?.nodes ?? []).filter((n) => n && before.get(n.name) !== JSON.stringify(n)).map((n) => n.name));
}

/** What a transform's preview reads: its sources' topics on their endpoint. */
export interface PreviewFeed {
  topics: string[];
  endpoint?: string;
}

/** The sources connected to `transform` (all sources when none is connected directly). */
export function feedOf(value: DataflowGraphResource | undefined, transform: string): PreviewFeed {
  const sources = (value?.spec?.nodes ?? []).filter((n): n is SourceNode => n?.nodeType === 'Source');
  const feeding = new Set((value?.spec?.nodeConnections ?? []).filter((c) => c?.to?.name === transform).map((c) => baseName(c?.from?.name ?? '')));
  const direct = sources.filter((n) => feeding.has(n.name));
  const chosen = direct.length ? direct : sources;
  return { topics: chosen.flatMap((n) => n.sourceSettings?.dataSources ?? []), endpoint: chosen[0]?.sourceSettings?.endpointRef };
}

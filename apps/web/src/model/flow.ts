/**
 * Graph definition ↔ React Flow nodes and edges. Pure: no React, no DOM.
 * Node ids are operation names (unique in a valid graph); edge ids are
 * `c<index>` after the connection's position in `connections`.
 */
import type { Edge, Node } from '@xyflow/react';
import type { Arm, Connection, GraphDefinition, Operation, OperationType } from '@wgs/graph-model';

export interface OperationNodeData extends Record<string, unknown> {
  name: string;
  /** As written; may be an unknown kind while the YAML is being edited. */
  operationType: string;
  module?: string;
  /** Index in `operations`. */
  index: number;
  /** Configuration keys declared for this operation in `moduleConfigurations`. */
  parameters: string[];
  errors: string[];
  warnings: string[];
  /** Changed since the definition was opened or last saved. */
  dirty?: boolean;
}

export type OperationNode = Node<OperationNodeData, 'operation'>;

export interface ConnectionEdgeData extends Record<string, unknown> {
  index: number;
  arm?: Arm;
  error?: string;
}

export type ConnectionEdge = Edge<ConnectionEdgeData>;

export interface FlowGraph {
  nodes: OperationNode[];
  edges: ConnectionEdge[];
}

export const NODE_WIDTH = 240;
export const NODE_HEIGHT = 72;

interface ReadOperation {
  name: string;
  operationType: string;
  module?: string;
  index: number;
}

interface ReadConnection {
  from: string;
  arm?: Arm;
  to: string;
  index: number;
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** The operations of a parsed (possibly invalid) document, as far as they can be read. */
export function readOperations(value: unknown): ReadOperation[] {
  const ops = asRecord(value)?.operations;
  if (!Array.isArray(ops)) return [];
  const out: ReadOperation[] = [];
  const seen = new Set<string>();
  ops.forEach((raw, index) => {
    const op = asRecord(raw);
    const name = asString(op?.name);
    if (!op || name === undefined || seen.has(name)) return;
    seen.add(name);
    const module = asString(op.module);
    out.push({ name, operationType: asString(op.operationType) ?? '', index, ...(module !== undefined ? { module } : {}) });
  });
  return out;
}

/** The connections of a parsed (possibly invalid) document, with their index. */
export function readConnections(value: unknown): ReadConnection[] {
  const conns = asRecord(value)?.connections;
  if (!Array.isArray(conns)) return [];
  const out: ReadConnection[] = [];
  conns.forEach((raw, index) => {
    const c = asRecord(raw);
    const from = asString(asRecord(c?.from)?.name);
    const to = asString(asRecord(c?.to)?.name);
    const arm = asString(asRecord(c?.from)?.arm);
    if (from === undefined || to === undefined) return;
    out.push({ from, to, index, ...(arm === 'True' || arm === 'False' ? { arm } : {}) });
  });
  return out;
}

function parametersByOperation(value: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const mcs = asRecord(value)?.moduleConfigurations;
  if (!Array.isArray(mcs)) return out;
  for (const raw of mcs) {
    const mc = asRecord(raw);
    const name = asString(mc?.name);
    if (name === undefined) continue;
    out.set(name, [...(out.get(name) ?? []), ...Object.keys(asRecord(mc?.parameters) ?? {})]);
  }
  return out;
}

/** The handle a connection leaves from: the arm of a branch, else "out". */
export const sourceHandleOf = (arm?: Arm | null): string => arm ?? 'out';

/**
 * Nodes and edges for a parsed document. Lenient: an invalid document still
 * shows every operation that has a name, so errors can be shown on it.
 * Positions come from `positions` (by node id), else the origin.
 */
export function graphToFlow(value: unknown, positions: ReadonlyMap<string, { x: number; y: number }> = new Map()): FlowGraph {
  const params = parametersByOperation(value);
  const ops = readOperations(value);
  const names = new Set(ops.map((o) => o.name));
  const nodes: OperationNode[] = ops.map((op) => ({
    id: op.name,
    type: 'operation',
    position: positions.get(op.name) ?? { x: 0, y: 0 },
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    data: {
      name: op.name,
      operationType: op.operationType,
      ...(op.module !== undefined ? { module: op.module } : {}),
      index: op.index,
      parameters: params.get(op.name) ?? [],
      errors: [],
      warnings: [],
    },
  }));
  const edges: ConnectionEdge[] = readConnections(value)
    .filter((c) => names.has(c.from) && names.has(c.to))
    .map((c) => ({
      id: `c${c.index}`,
      source: c.from,
      target: c.to,
      sourceHandle: sourceHandleOf(c.arm),
      targetHandle: 'in',
      ...(c.arm ? { label: c.arm } : {}),
      data: { index: c.index, ...(c.arm ? { arm: c.arm } : {}) },
    }));
  return { nodes, edges };
}

/**
 * The graph definition the canvas shows: operations in node order,
 * connections in edge order; everything the canvas does not show
 * (metadata, requirements, configurations, schemas) comes from `base`.
 */
export function flowToGraph(flow: FlowGraph, base: GraphDefinition): GraphDefinition {
  const operations: Operation[] = flow.nodes.map((n) => ({
    operationType: n.data.operationType as OperationType,
    name: n.data.name,
    ...(n.data.module ? { module: n.data.module } : {}),
  }));
  const connections: Connection[] = flow.edges.map((e) => {
    const arm = e.sourceHandle === 'True' || e.sourceHandle === 'False' ? e.sourceHandle : undefined;
    return { from: { name: e.source, ...(arm ? { arm } : {}) }, to: { name: e.target } };
  });
  return {
    metadata: base.metadata,
    moduleRequirements: base.moduleRequirements,
    ...(base.moduleConfigurations ? { moduleConfigurations: base.moduleConfigurations } : {}),
    ...(base.schemas ? { schemas: base.schemas } : {}),
    operations,
    connections,
  };
}

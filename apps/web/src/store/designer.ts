/**
 * The designer's state: the definition's YAML text is the source of truth;
 * the canvas (nodes, edges) and the diagnostics are derived from it on every
 * change, and canvas edits are applied to the text.
 */
import { create } from 'zustand';
import { parseGraphDefinition, type Arm, type Diagnostic } from '@wgs/graph-model';
import { parseDocument } from 'yaml';
import { graphToFlow, type ConnectionEdge, type OperationNode } from '../model/flow.ts';
import { diagnosticTarget } from '../model/diagnostics.ts';
import { layoutPositions } from '../model/layout.ts';
import { addConnection, lineOfPath, removeConnection, removeOperation, setModule } from '../model/yaml-text.ts';

export interface DesignerState {
  /** Where the definition came from, e.g. the registry reference. */
  title: string;
  yaml: string;
  nodes: OperationNode[];
  edges: ConnectionEdge[];
  diagnostics: Diagnostic[];
  selected?: string;
  /** The YAML line to show (a new object each time, so the same line can be shown again). */
  revealLine?: { line: number };
  /** Counts layouts, so the canvas can fit the view after each. */
  layoutSeq: number;
  /** Set when a canvas edit could not be applied (e.g. the YAML has syntax errors). */
  editError?: string;
  /** Opens a definition and lays it out. */
  open(title: string, yaml: string): Promise<void>;
  setYaml(yaml: string): void;
  relayout(): Promise<void>;
  setNodes(nodes: OperationNode[]): void;
  select(id?: string): void;
  goToLine(line: number): void;
  connect(from: string, arm: Arm | undefined, to: string): void;
  /** Removes the connections behind these edges (one edit). */
  disconnect(edgeIds: string[]): void;
  /** Removes operations (with their connections) and connections, as one edit. */
  deleteElements(nodeIds: string[], edgeIds: string[]): void;
  changeModule(nodeId: string, module: string): void;
}

/** Parses the text leniently (a value even when invalid) and validates it. */
export function analyse(yaml: string): { value: unknown; diagnostics: Diagnostic[] } {
  const doc = parseDocument(yaml);
  let value: unknown;
  try {
    value = doc.errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  } catch {
    value = undefined;
  }
  return { value, diagnostics: parseGraphDefinition(yaml).diagnostics };
}

/** Nodes and edges of `yaml`, keeping the positions `previous` had, with diagnostics attached. */
export function derive(yaml: string, previous: OperationNode[]): { nodes: OperationNode[]; edges: ConnectionEdge[]; diagnostics: Diagnostic[] } {
  const { value, diagnostics } = analyse(yaml);
  const positions = new Map(previous.map((n) => [n.id, n.position]));
  // A syntax error leaves no value: keep showing the last canvas, with the error listed.
  if (value === undefined && previous.length) return { nodes: previous, edges: [], diagnostics };
  const flow = graphToFlow(value, positions);
  for (const d of diagnostics) {
    const t = diagnosticTarget(d, value);
    const node = t.nodeId ? flow.nodes.find((n) => n.id === t.nodeId) : undefined;
    if (node) (d.severity === 'error' ? node.data.errors : node.data.warnings).push(d.message);
    const edge = t.edgeId ? flow.edges.find((e) => e.id === t.edgeId) : undefined;
    if (edge && edge.data && d.severity === 'error') edge.data.error = d.message;
  }
  for (const e of flow.edges) if (e.data?.error) e.className = 'edge-error';
  return { ...flow, diagnostics };
}

export const useDesigner = create<DesignerState>((set, get) => {
  const applyEdit = (change: (yaml: string) => string) => {
    try {
      get().setYaml(change(get().yaml));
    } catch (e) {
      set({ editError: (e as Error).message });
    }
  };
  return {
    title: '',
    yaml: '',
    nodes: [],
    edges: [],
    diagnostics: [],
    layoutSeq: 0,
    async open(title, yaml) {
      // Laid out before it is shown, so the canvas never shows the nodes piled up.
      const derived = derive(yaml, []);
      const positions = await layoutPositions(derived);
      const nodes = derived.nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position }));
      set({ title, yaml, ...derived, nodes, selected: undefined, editError: undefined, layoutSeq: get().layoutSeq + 1 });
    },
    setYaml(yaml) {
      if (yaml === get().yaml) return;
      set({ yaml, ...derive(yaml, get().nodes), editError: undefined });
    },
    async relayout() {
      const { nodes, edges } = get();
      const positions = await layoutPositions({ nodes, edges });
      set({ nodes: get().nodes.map((n) => ({ ...n, position: positions.get(n.id) ?? n.position })), layoutSeq: get().layoutSeq + 1 });
    },
    setNodes(nodes) {
      set({ nodes });
    },
    select(id) {
      const node = id ? get().nodes.find((n) => n.id === id) : undefined;
      const line = node ? lineOfPath(get().yaml, ['operations', node.data.index]) : undefined;
      set({ selected: id, ...(line ? { revealLine: { line } } : {}) });
    },
    goToLine(line) {
      set({ revealLine: { line } });
    },
    connect(from, arm, to) {
      applyEdit((y) => addConnection(y, { from, to, ...(arm ? { arm } : {}) }));
    },
    disconnect(edgeIds) {
      get().deleteElements([], edgeIds);
    },
    deleteElements(nodeIds, edgeIds) {
      // Highest index first, so the earlier indices stay valid; connections first (operation indices do not move).
      const conns = get().edges.filter((e) => edgeIds.includes(e.id) && e.data).map((e) => e.data!.index).sort((a, b) => b - a);
      const ops = get().nodes.filter((n) => nodeIds.includes(n.id)).map((n) => n.data.index).sort((a, b) => b - a);
      if (!conns.length && !ops.length) return;
      applyEdit((y) => ops.reduce((text, i) => removeOperation(text, i), conns.reduce((text, i) => removeConnection(text, i), y)));
      if (nodeIds.includes(get().selected ?? '')) set({ selected: undefined });
    },
    changeModule(nodeId, module) {
      const node = get().nodes.find((n) => n.id === nodeId);
      if (node) applyEdit((y) => setModule(y, node.data.index, module));
    },
  };
});

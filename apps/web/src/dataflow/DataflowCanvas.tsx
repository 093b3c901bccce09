import { useCallback, useEffect, useRef, useState, type MouseEvent as ReactMouseEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, applyNodeChanges, getNodesBounds, useNodesInitialized, useReactFlow, type Connection, type Edge, type NodeChange } from '@xyflow/react';
import { useDataflow } from './store.ts';
import type { DataflowEdge, DataflowNode } from './flow.ts';
import { DataflowNodeComponent } from './DataflowNode.tsx';
import { DATAFLOW_FIT, DATAFLOW_PADDING, MINIMAP_STYLE, MULTI_SELECT_KEYS, SCROLL_PANS } from '../canvas/fit.ts';
import { MIN_READABLE_ZOOM, readableViewport } from '../canvas/readable-fit.ts';
import { useTheme } from '../ui/theme.ts';
import { ContextMenu, type MenuAt, type MenuItem } from '../canvas/ContextMenu.tsx';
import { selectionFor } from '../canvas/selection.ts';
import { graphArtifactOf } from './open-graph.ts';
import { useLiveFlow } from './useLiveFlow.ts';

const nodeTypes = { dataflow: DataflowNodeComponent };

/** Sources → graph transforms → destinations. Drag handles to connect; Delete removes; positions are kept in an annotation. */
export function DataflowCanvas({ onOpenGraph }: { onOpenGraph?(name: string): void } = {}) {
  const nodes = useDataflow((s) => s.nodes);
  const edges = useDataflow((s) => s.edges);
  // A running preview's counts on nodes and edges (useLiveFlow.ts).
  const shown = useLiveFlow(nodes, edges);
  const colorMode = useTheme((s) => s.theme);
  const fit = useReadableFit();
  const onNodesChange = useCallback((changes: NodeChange<DataflowNode>[]) => {
    const s = useDataflow.getState();
    s.setNodes(applyNodeChanges(changes.filter((c) => c.type !== 'remove'), s.nodes));
  }, []);
  // A branch's arm handle (output.true) names the connection's source: `<node>.output.true`.
  const onConnect = useCallback((c: Connection) => useDataflow.getState().connect(c.sourceHandle?.startsWith('output.') ? `${c.source}.${c.sourceHandle}` : c.source, c.target), []);
  const onDelete = useCallback(({ nodes: n, edges: e }: { nodes: DataflowNode[]; edges: Edge[] }) => {
    useDataflow.getState().deleteElements(n.map((x) => x.id), e.map((x) => x.id));
  }, []);
  // Right-click: duplicate, open the operator graph (graph transforms), delete; disconnect an edge.
  const [menu, setMenu] = useState<MenuAt>();
  const closeMenu = useCallback(() => setMenu(undefined), []);
  const onNodeContextMenu = useCallback((e: ReactMouseEvent, node: DataflowNode) => {
    e.preventDefault();
    const s = useDataflow.getState();
    const { nodeIds } = selectionFor(node.id, s.nodes, []);
    const many = nodeIds.length > 1 ? ` (${nodeIds.length} nodes)` : '';
    const items: MenuItem[] = [{ label: `Duplicate${many}`, testId: 'menu-duplicate', run: () => useDataflow.getState().duplicate(nodeIds) }];
    if (onOpenGraph && nodeIds.length === 1 && graphArtifactOf(node.id)) items.push({ label: 'Open operator graph', testId: 'menu-open-graph', run: () => onOpenGraph(node.id) });
    items.push({ label: `Delete${many}`, testId: 'menu-delete', danger: true, run: () => useDataflow.getState().deleteElements(nodeIds, []) });
    setMenu({ x: e.clientX, y: e.clientY, title: many ? `${nodeIds.length} nodes` : node.id, items });
  }, [onOpenGraph]);
  const onEdgeContextMenu = useCallback((e: ReactMouseEvent, edge: Edge) => {
    e.preventDefault();
    setMenu({
      x: e.clientX, y: e.clientY, title: `${edge.source} → ${edge.target}`, items: [
        { label: 'Disconnect', testId: 'menu-disconnect', danger: true, run: () => useDataflow.getState().deleteElements([], [edge.id]) },
      ],
    });
  }, []);
  return (
    <div className="canvas" data-testid="dataflow-canvas" ref={fit.host}>
      <ReactFlow
        nodes={shown.nodes}
        edges={shown.edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        onNodeDragStart={fit.onNodeDragStart}
        onNodeDragStop={() => useDataflow.getState().commitLayout()}
        onNodeClick={(_, n) => useDataflow.getState().select(n.id)}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        {...SCROLL_PANS}
        deleteKeyCode={['Delete', 'Backspace']}
        onNodeContextMenu={onNodeContextMenu}
        onEdgeContextMenu={onEdgeContextMenu}
        onEdgeClick={(_, e) => useDataflow.getState().selectConnection((e as DataflowEdge).data?.index)}
        onPaneClick={() => useDataflow.getState().select(undefined)}
        fitView
        fitViewOptions={DATAFLOW_FIT}
        onMoveStart={fit.onMoveStart}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
        colorMode={colorMode}
      >
        <Background />
        <Controls onFitView={fit.fitReadable} />
        <MiniMap pannable zoomable style={MINIMAP_STYLE} />
      </ReactFlow>
      {menu && <ContextMenu menu={menu} onClose={closeMenu} />}
      {!nodes.length && (
        <div className="empty-state">This graph has no nodes: add a source, a graph transform and a destination from the toolbar, or write them in the YAML.</div>
      )}
    </div>
  );
}

/**
 * Fit view that keeps the nodes legible (readable-fit.ts): the whole flow when it fits at 0.75 or
 * more, else 0.75 with its sources (the left) in view and the rest reached by scrolling. Runs when
 * the nodes are measured or placed anew and as the canvas is resized, until the user pans, zooms
 * or drags a node.
 */
function useReadableFit() {
  const { getNodes, setViewport } = useReactFlow();
  const host = useRef<HTMLDivElement>(null);
  const userMoved = useRef(false);
  const initialized = useNodesInitialized();
  const fitReadable = useCallback(() => {
    const nodes = getNodes();
    if (!host.current || !nodes.length) return;
    const bounds = getNodesBounds(nodes);
    void setViewport(readableViewport(bounds, host.current.getBoundingClientRect(), DATAFLOW_PADDING, bounds.x, MIN_READABLE_ZOOM, 1));
  }, [getNodes, setViewport]);
  // Nodes placed by the connections move when a connection is made: the view follows them.
  const placement = useDataflow((s) => s.nodes.map((n) => `${n.id}@${Math.round(n.position.x)},${Math.round(n.position.y)}`).join(' '));
  useEffect(() => {
    if (!initialized || userMoved.current) return;
    const frame = requestAnimationFrame(fitReadable);
    return () => cancelAnimationFrame(frame);
  }, [initialized, placement, fitReadable]);
  useEffect(() => {
    if (!host.current) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      if (userMoved.current) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(fitReadable);
    });
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [fitReadable]);
  // Only moves the user makes carry an event (the fit's own do not).
  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => {
    if (event) userMoved.current = true;
  }, []);
  // Arranging nodes by hand is the user's view too: no refit under their hand.
  const onNodeDragStart = useCallback(() => {
    userMoved.current = true;
  }, []);
  return { host, fitReadable, onMoveStart, onNodeDragStart };
}

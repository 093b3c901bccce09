import { useCallback, useEffect, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { Background, Controls, MiniMap, Panel, ReactFlow, getNodesBounds, applyEdgeChanges, applyNodeChanges, useReactFlow, type Connection, type Edge, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useDesigner } from '../store/designer.ts';
import { NODE_HEIGHT, NODE_WIDTH, type ConnectionEdge, type OperationNode } from '../model/flow.ts';
import { OperationNodeComponent } from './OperationNode.tsx';
import { useEditorShortcuts } from './shortcuts.ts';
import { OperationPalette, PALETTE_MIME } from '../definition/OperationPalette.tsx';
import { DefinitionToolbar } from '../definition/DefinitionToolbar.tsx';
import type { DefinitionApi } from '../definition/api.ts';
import '../definition/definition.css';
import { usePreviewSelection } from '../preview/selection.ts';
import { DEFINITION_FIT, DEFINITION_PADDING, MINIMAP_STYLE, MULTI_SELECT_KEYS, SCROLL_PANS } from './fit.ts';
import { readableViewport } from './readable-fit.ts';
import { useTheme } from '../ui/theme.ts';
import { ContextMenu, type MenuAt } from './ContextMenu.tsx';
import { selectionFor } from './selection.ts';

const nodeTypes = { operation: OperationNodeComponent };

/** Said on an empty canvas: what to do next. */
function EmptyState({ open }: { open: boolean }) {
  return (
    <div className="canvas-empty" data-testid="canvas-empty">
      {open
        ? 'This graph has no operations yet: add a source, operators and a sink from the palette (click or drag).'
        : 'Open a graph from the registry or add an operation from the palette'}
    </div>
  );
}

/**
 * The operator graph: drag to move, connect handles to add a connection,
 * Delete (or Backspace) removes the selection; the palette adds operations
 * (click, or drag to a spot), the toolbar and keyboard undo, copy, paste
 * and lay out. `api` is for saving and the module picker (the page's token by default).
 */
export function GraphCanvas({ api }: { api?: DefinitionApi } = {}) {
  const nodes = useDesigner((s) => s.nodes);
  const edges = useDesigner((s) => s.edges);
  const hasText = useDesigner((s) => !!s.yaml.trim());
  const setNodes = useDesigner((s) => s.setNodes);
  const addOperation = useDesigner((s) => s.addOperation);
  const connect = useDesigner((s) => s.connect);
  const deleteElements = useDesigner((s) => s.deleteElements);
  const select = useDesigner((s) => s.select);
  const layoutSeq = useDesigner((s) => s.layoutSeq);
  const colorMode = useTheme((s) => s.theme);
  const { fitView, screenToFlowPosition, setViewport, getNodes } = useReactFlow();
  useEditorShortcuts();
  const host = useRef<HTMLDivElement>(null);
  // Fit view, but never below a legible zoom (readable-fit.ts): a large graph shows its start and scrolls.
  const fitReadable = useCallback(() => {
    const nodes = getNodes();
    if (!host.current || !nodes.length) return void fitView(DEFINITION_FIT);
    const top = Math.min(...nodes.map((n) => n.position.y));
    const row = nodes.filter((n) => n.position.y <= top + 1);
    const focusX = row.reduce((sum, n) => sum + n.position.x + (n.measured?.width ?? NODE_WIDTH) / 2, 0) / row.length;
    void setViewport(readableViewport(getNodesBounds(nodes), host.current.getBoundingClientRect(), DEFINITION_PADDING, focusX));
  }, [fitView, getNodes, setViewport]);

  // After every layout (a definition opened, "Layout" pressed) show the whole graph.
  const userMoved = useRef(false);
  const laidOutText = useRef('');
  useEffect(() => {
    if (!layoutSeq) return;
    userMoved.current = false;
    laidOutText.current = useDesigner.getState().yaml;
    const frame = requestAnimationFrame(fitReadable);
    return () => cancelAnimationFrame(frame);
  }, [layoutSeq, fitReadable]);
  // The inspector and preview panels take room from the canvas as they open: keep the whole
  // graph in view, until the user pans, zooms or edits (then nothing moves under their hand).
  useEffect(() => {
    if (!host.current) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      if (userMoved.current || useDesigner.getState().yaml !== laidOutText.current) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(fitReadable);
    });
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [fitReadable]);

  const onNodesChange = useCallback((changes: NodeChange<OperationNode>[]) => {
    // Removing operations goes through the YAML; the canvas only moves and selects.
    const kept = changes.filter((c) => c.type !== 'remove');
    setNodes(applyNodeChanges(kept, useDesigner.getState().nodes));
  }, [setNodes]);
  // Edge selection lives on the derived edges, so Delete and the toolbar see it.
  const onEdgesChange = useCallback((changes: EdgeChange<ConnectionEdge>[]) => {
    const kept = changes.filter((c) => c.type === 'select');
    if (kept.length) useDesigner.setState({ edges: applyEdgeChanges(kept, useDesigner.getState().edges) });
  }, []);
  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  // A palette item dropped on the canvas: the new operation is centred where it was dropped.
  const onDrop = useCallback((e: DragEvent) => {
    const kind = e.dataTransfer.getData(PALETTE_MIME);
    if (!kind) return;
    e.preventDefault();
    const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    addOperation(kind, { x: at.x - NODE_WIDTH / 2, y: at.y - NODE_HEIGHT / 2 });
  }, [addOperation, screenToFlowPosition]);
  const onConnect = useCallback((c: Connection) => {
    const arm = c.sourceHandle === 'True' || c.sourceHandle === 'False' ? c.sourceHandle : undefined;
    connect(c.source, arm, c.target);
  }, [connect]);
  // One callback for nodes and their edges together, so the YAML gets one consistent edit.
  const onDelete = useCallback(({ nodes: n, edges: e }: { nodes: OperationNode[]; edges: Edge[] }) => {
    deleteElements(n.map((x) => x.id), e.map((x) => x.id));
  }, [deleteElements]);
  // Right-click: delete or duplicate an operation (with the rest of the selection when it is part of it), disconnect an edge.
  const [menu, setMenu] = useState<MenuAt>();
  const closeMenu = useCallback(() => setMenu(undefined), []);
  const onNodeContextMenu = useCallback((e: ReactMouseEvent, node: OperationNode) => {
    e.preventDefault();
    const s = useDesigner.getState();
    const { nodeIds, edgeIds } = selectionFor(node.id, s.nodes, s.edges);
    const many = nodeIds.length > 1 ? ` (${nodeIds.length} operations)` : '';
    setMenu({
      x: e.clientX, y: e.clientY, title: many ? `${nodeIds.length} operations` : node.id, items: [
        { label: `Duplicate${many}`, testId: 'menu-duplicate', run: () => useDesigner.getState().duplicate(nodeIds) },
        { label: `Delete${many}`, testId: 'menu-delete', danger: true, run: () => useDesigner.getState().deleteElements(nodeIds, edgeIds) },
      ],
    });
  }, []);
  const onEdgeContextMenu = useCallback((e: ReactMouseEvent, edge: Edge) => {
    e.preventDefault();
    setMenu({
      x: e.clientX, y: e.clientY, title: `${edge.source} → ${edge.target}`, items: [
        { label: 'Disconnect', testId: 'menu-disconnect', danger: true, run: () => useDesigner.getState().disconnect([edge.id]) },
      ],
    });
  }, []);

  return (
    <div className="canvas" data-testid="canvas" ref={host} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        {...SCROLL_PANS}
        onNodeClick={(_, n) => select(n.id)}
        onNodeContextMenu={onNodeContextMenu}
        onEdgeContextMenu={onEdgeContextMenu}
        onPaneClick={() => select(undefined)}
        onEdgeClick={(_, e) => usePreviewSelection.getState().selectEdge(e.id)}
        fitView
        fitViewOptions={DEFINITION_FIT}
        onMoveStart={(event) => {
          // Only moves the user makes carry an event (fitView's do not).
          if (event) userMoved.current = true;
        }}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
        colorMode={colorMode}
      >
        <Panel position="top-left"><OperationPalette /></Panel>
        <Panel position="top-right"><DefinitionToolbar {...(api ? { api } : {})} /></Panel>
        {nodes.length === 0 && <Panel position="top-center" className="canvas-empty-panel"><EmptyState open={hasText} /></Panel>}
        <Background />
        <Controls onFitView={fitReadable} />
        <MiniMap pannable zoomable style={MINIMAP_STYLE} />
      </ReactFlow>
      {menu && <ContextMenu menu={menu} onClose={closeMenu} />}
    </div>
  );
}

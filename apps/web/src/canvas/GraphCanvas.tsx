import { useCallback, useEffect } from 'react';
import { Background, Controls, MiniMap, ReactFlow, applyNodeChanges, useReactFlow, type Connection, type Edge, type NodeChange } from '@xyflow/react';
import { useDesigner } from '../store/designer.ts';
import type { OperationNode } from '../model/flow.ts';
import { OperationNodeComponent } from './OperationNode.tsx';
import { usePreviewSelection } from '../preview/selection.ts';

const nodeTypes = { operation: OperationNodeComponent };

/** The operator graph: drag to move, connect handles to add a connection, Delete (or Backspace) removes the selection. */
export function GraphCanvas() {
  const nodes = useDesigner((s) => s.nodes);
  const edges = useDesigner((s) => s.edges);
  const setNodes = useDesigner((s) => s.setNodes);
  const connect = useDesigner((s) => s.connect);
  const deleteElements = useDesigner((s) => s.deleteElements);
  const select = useDesigner((s) => s.select);
  const layoutSeq = useDesigner((s) => s.layoutSeq);
  const { fitView } = useReactFlow();

  // After every layout (a definition opened, "Layout" pressed) show the whole graph.
  useEffect(() => {
    if (!layoutSeq) return;
    const frame = requestAnimationFrame(() => void fitView({ padding: 0.08 }));
    return () => cancelAnimationFrame(frame);
  }, [layoutSeq, fitView]);

  const onNodesChange = useCallback((changes: NodeChange<OperationNode>[]) => {
    // Removing operations goes through the YAML; the canvas only moves and selects.
    const kept = changes.filter((c) => c.type !== 'remove');
    setNodes(applyNodeChanges(kept, useDesigner.getState().nodes));
  }, [setNodes]);
  const onConnect = useCallback((c: Connection) => {
    const arm = c.sourceHandle === 'True' || c.sourceHandle === 'False' ? c.sourceHandle : undefined;
    connect(c.source, arm, c.target);
  }, [connect]);
  // One callback for nodes and their edges together, so the YAML gets one consistent edit.
  const onDelete = useCallback(({ nodes: n, edges: e }: { nodes: OperationNode[]; edges: Edge[] }) => {
    deleteElements(n.map((x) => x.id), e.map((x) => x.id));
  }, [deleteElements]);

  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        onNodeClick={(_, n) => select(n.id)}
        onPaneClick={() => select(undefined)}
        onEdgeClick={(_, e) => usePreviewSelection.getState().selectEdge(e.id)}
        fitView
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls />
        <MiniMap pannable zoomable />
      </ReactFlow>
    </div>
  );
}

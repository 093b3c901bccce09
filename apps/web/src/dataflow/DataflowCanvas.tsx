import { useCallback } from 'react';
import { Background, Controls, MiniMap, ReactFlow, applyNodeChanges, type Connection, type Edge, type NodeChange } from '@xyflow/react';
import { useDataflow } from './store.ts';
import type { DataflowEdge, DataflowNode } from './flow.ts';
import { DataflowNodeComponent } from './DataflowNode.tsx';
import { DATAFLOW_FIT, MINIMAP_STYLE } from '../canvas/fit.ts';
import { useTheme } from '../ui/theme.ts';

const nodeTypes = { dataflow: DataflowNodeComponent };

/** Sources → graph transforms → destinations. Drag handles to connect; Delete removes; positions are kept in an annotation. */
export function DataflowCanvas() {
  const nodes = useDataflow((s) => s.nodes);
  const edges = useDataflow((s) => s.edges);
  const colorMode = useTheme((s) => s.theme);
  const onNodesChange = useCallback((changes: NodeChange<DataflowNode>[]) => {
    const s = useDataflow.getState();
    s.setNodes(applyNodeChanges(changes.filter((c) => c.type !== 'remove'), s.nodes));
  }, []);
  // A branch's arm handle (output.true) names the connection's source: `<node>.output.true`.
  const onConnect = useCallback((c: Connection) => useDataflow.getState().connect(c.sourceHandle?.startsWith('output.') ? `${c.source}.${c.sourceHandle}` : c.source, c.target), []);
  const onDelete = useCallback(({ nodes: n, edges: e }: { nodes: DataflowNode[]; edges: Edge[] }) => {
    useDataflow.getState().deleteElements(n.map((x) => x.id), e.map((x) => x.id));
  }, []);
  return (
    <div className="canvas" data-testid="dataflow-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onConnect={onConnect}
        onDelete={onDelete}
        onNodeDragStop={() => useDataflow.getState().commitLayout()}
        onNodeClick={(_, n) => useDataflow.getState().select(n.id)}
        onEdgeClick={(_, e) => useDataflow.getState().selectConnection((e as DataflowEdge).data?.index)}
        onPaneClick={() => useDataflow.getState().select(undefined)}
        fitView
        fitViewOptions={DATAFLOW_FIT}
        proOptions={{ hideAttribution: true }}
        colorMode={colorMode}
      >
        <Background />
        <Controls />
        <MiniMap pannable zoomable style={MINIMAP_STYLE} />
      </ReactFlow>
      {!nodes.length && (
        <div className="empty-state">This graph has no nodes: add a source, a graph transform and a destination from the toolbar, or write them in the YAML.</div>
      )}
    </div>
  );
}

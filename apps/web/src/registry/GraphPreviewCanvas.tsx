import { useEffect, useState } from 'react';
import { ReactFlow, ReactFlowProvider } from '@xyflow/react';
import { parse } from 'yaml';
import { graphToFlow, type FlowGraph } from '../model/flow.ts';
import { layoutPositions } from '../model/layout.ts';
import { OperationNodeComponent } from '../canvas/OperationNode.tsx';
import { useTheme } from '../ui/theme.ts';

const nodeTypes = { operation: OperationNodeComponent };

/** A read-only, laid-out picture of a graph before it is opened. */
export function GraphPreviewCanvas({ yaml }: { yaml: string }) {
  const [flow, setFlow] = useState<FlowGraph>();
  const colorMode = useTheme((s) => s.theme);
  useEffect(() => {
    let live = true;
    let value: unknown;
    try {
      value = parse(yaml);
    } catch {
      return;
    }
    const plain = graphToFlow(value);
    void layoutPositions(plain).then((pos) => live && setFlow(graphToFlow(value, pos)));
    return () => {
      live = false;
    };
  }, [yaml]);
  if (!flow) return <div className="preview-canvas" />;
  return (
    <div className="preview-canvas" data-testid="preview-canvas">
      <ReactFlowProvider>
        <ReactFlow nodes={flow.nodes} edges={flow.edges} nodeTypes={nodeTypes} fitView minZoom={0.02} nodesDraggable={false} nodesConnectable={false}
          elementsSelectable={false} proOptions={{ hideAttribution: true }} colorMode={colorMode} />
      </ReactFlowProvider>
    </div>
  );
}

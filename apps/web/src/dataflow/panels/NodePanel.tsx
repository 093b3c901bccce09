import { useState } from 'react';
import type { DestinationNode, GraphNode, SourceNode } from '@wgs/graph-model';
import { feedOf, type PreviewFeed } from '../flow.ts';
import type { ApiClient, GraphPreview } from '../../api/client.ts';
import { useDataflow } from '../store.ts';
import { renameNode } from '../manifest.ts';
import { SourcePanel } from './SourcePanel.tsx';
import { TransformPanel } from './TransformPanel.tsx';
import { DestinationPanel } from './DestinationPanel.tsx';
import { PropertiesPanel } from './PropertiesPanel.tsx';
import { ConnectionPanel } from './ConnectionPanel.tsx';
import { builtinKindOf } from '@wgs/graph-model';
import { BuiltinPanel } from '../builtins/BuiltinPanel.tsx';

interface Props {
  api: ApiClient;
  onOpenDefinition(definition: GraphPreview, configuration: Record<string, string>, feed: PreviewFeed): void;
}

/** The side panel: the selected node's details, or the graph's properties when none is selected. */
export function NodePanel({ api, onOpenDefinition }: Props) {
  const selected = useDataflow((s) => s.selected);
  const value = useDataflow((s) => s.value);
  const node = value?.spec?.nodes?.find((n) => n?.name === selected);
  const connectionIndex = useDataflow((s) => s.selectedConnection);
  const connection = connectionIndex !== undefined ? value?.spec?.nodeConnections?.[connectionIndex] : undefined;
  const [name, setName] = useState<string>();
  if (connection && connectionIndex !== undefined) {
    return (
      <aside className="side-panel" data-testid="side-panel">
        <h3>Connection</h3>
        <ConnectionPanel index={connectionIndex} connection={connection} />
      </aside>
    );
  }
  if (!node) {
    return (
      <aside className="side-panel" data-testid="side-panel">
        <h3>Data flow properties</h3>
        <PropertiesPanel />
        <p className="muted">Select a node to configure it.</p>
      </aside>
    );
  }
  const feed = feedOf(value, node.name);
  // Built-ins get rule editors instead of the generic form.
  const builtin = node.nodeType === 'Graph' ? builtinKindOf((node as GraphNode).graphSettings?.artifact) : undefined;
  const rename = () => {
    if (name === undefined || name === node.name) return;
    useDataflow.getState().edit((t) => renameNode(t, node.name, name.trim()));
    useDataflow.getState().select(name.trim());
    setName(undefined);
  };
  return (
    <aside className="side-panel" data-testid="side-panel" key={node.name}>
      <h3>{node.nodeType === 'Graph' ? 'Graph transform' : `${node.nodeType ?? 'Node'} details`}</h3>
      <label className="field"><span>Node name</span>
        <input data-testid="node-name" value={name ?? node.name} onChange={(e) => setName(e.target.value)} onBlur={rename} onKeyDown={(e) => e.key === 'Enter' && rename()} />
      </label>
      {node.nodeType === 'Source' && <SourcePanel node={node as SourceNode} />}
      {builtin && <BuiltinPanel node={node as GraphNode} kind={builtin} />}
      {node.nodeType === 'Graph' && !builtin && <TransformPanel api={api} node={node as GraphNode} onOpenDefinition={(d, c) => onOpenDefinition(d, c, feed)} />}
      {node.nodeType === 'Destination' && <DestinationPanel node={node as DestinationNode} />}
      <button className="danger" data-testid="delete-node" onClick={() => useDataflow.getState().deleteElements([node.name], [])}>Delete node</button>
    </aside>
  );
}

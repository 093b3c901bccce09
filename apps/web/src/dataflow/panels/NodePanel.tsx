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
import { LiveInput } from '../../ui/LiveInput.tsx';

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
  // Renamed as it is typed; a name that is empty or taken waits in the field, explained.
  const names = (value?.spec?.nodes ?? []).map((n) => n?.name);
  const nameProblem = (typed: string) => {
    const wanted = typed.trim();
    if (!wanted) return 'a node needs a name';
    return wanted !== node.name && names.includes(wanted) ? `there is already a node named "${wanted}"` : undefined;
  };
  const rename = (typed: string, burst: string) => {
    const wanted = typed.trim();
    if (wanted === node.name) return;
    useDataflow.getState().editField(burst, (t) => renameNode(t, node.name, wanted));
    useDataflow.getState().select(wanted);
  };
  return (
    // Keyed by position, not name: a rename typed here keeps the panel (and the field's focus).
    <aside className="side-panel" data-testid="side-panel" key={names.indexOf(node.name)}>
      <h3>{node.nodeType === 'Graph' ? 'Graph transform' : `${node.nodeType ?? 'Node'} details`}</h3>
      <label className="field"><span>Node name</span>
        <LiveInput testId="node-name" value={node.name} problem={nameProblem} onApply={rename} />
      </label>
      {node.nodeType === 'Source' && <SourcePanel node={node as SourceNode} />}
      {builtin && <BuiltinPanel node={node as GraphNode} kind={builtin} />}
      {node.nodeType === 'Graph' && !builtin && <TransformPanel api={api} node={node as GraphNode} onOpenDefinition={(d, c) => onOpenDefinition(d, c, feed)} />}
      {node.nodeType === 'Destination' && <DestinationPanel node={node as DestinationNode} />}
      <button className="danger" data-testid="delete-node" onClick={() => useDataflow.getState().deleteElements([node.name], [])}>Delete node</button>
    </aside>
  );
}

import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { DataflowNode } from './flow.ts';
import { NodeLiveCounts } from './NodeLiveCounts.tsx';

const ICONS = { Source: '⇥', Graph: '⚙', Destination: '⇤', Unknown: '?' } as const;
/** A built-in branch's outputs, addressed `<node>.output.true` / `.false` in connections. */
const ARMS = ['true', 'false'] as const;
const KIND_LABELS = { Source: 'Source', Graph: 'Graph transform', Destination: 'Destination', Unknown: 'Unknown node' } as const;

/** A source, graph transform or destination: name, endpoint/artifact, error and changed markers. */
function DataflowNodeView({ data, selected }: NodeProps<DataflowNode>) {
  const kind = data.nodeType;
  return (
    <div
      className={`df-node df-${kind.toLowerCase()}${data.branch ? ' df-branch' : ''}${data.errors.length ? ' has-error' : ''}${selected ? ' selected' : ''}`}
      data-testid="dataflow-node"
      data-name={data.name}
      data-kind={kind}
      data-dirty={data.dirty || undefined}
      title={[...data.errors, ...data.warnings].join('\n') || undefined}
    >
      {kind !== 'Source' && <Handle type="target" position={Position.Left} id="in" />}
      <div className="df-head">
        <span>{ICONS[kind]}</span>
        <span>{data.builtin ? `Built-in ${data.builtin}` : KIND_LABELS[kind]}</span>
        {data.dirty && <span className="df-dirty" data-testid="dirty-marker" title="changed since opened or saved">●</span>}
      </div>
      <div className="df-name">{data.name}</div>
      <div className="df-summary" title={data.summary}>{data.summary}</div>
      {data.detail && <div className="df-detail" title={data.detail}>{data.detail}</div>}
      {data.live && <NodeLiveCounts counters={data.live} />}
      {data.errors.length > 0 && <div className="badge badge-error" data-testid="error-badge">{data.errors.length}</div>}
      {data.errors.length === 0 && data.warnings.length > 0 && <div className="badge badge-warning">{data.warnings.length}</div>}
      {kind !== 'Destination' && !data.branch && <Handle type="source" position={Position.Right} id="out" />}
      {data.branch && ARMS.map((arm, i) => (
        <span key={arm}>
          <Handle type="source" position={Position.Right} id={`output.${arm}`} style={{ top: `${35 + i * 35}%` }} data-testid={`handle-${arm}`} title={`${arm} output: drag to connect`} />
          <span className="df-arm" style={{ top: `calc(${35 + i * 35}% - 7px)` }}>{arm}</span>
        </span>
      ))}
    </div>
  );
}

export const DataflowNodeComponent = memo(DataflowNodeView);

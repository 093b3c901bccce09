import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { OPERATION_TYPES } from '@wgs/graph-model';
import type { OperationNode as OperationNodeType } from '../model/flow.ts';
import { PreviewBadge, useLiveCounts } from '../preview/PreviewBadge.tsx';

const KIND_ICONS: Record<string, string> = {
  source: '⇥', sink: '⇤', map: 'ƒ', filter: '⊘', branch: '⑂', accumulate: 'Σ', delay: '⏱', concatenate: '⊕',
};

/** One operation: its kind, name, module and parameters, with an error badge when diagnostics concern it. */
function OperationNodeView({ data, selected }: NodeProps<OperationNodeType>) {
  const kind = (OPERATION_TYPES as readonly string[]).includes(data.operationType) ? data.operationType : 'unknown';
  const moduleName = data.module?.split('/').pop();
  // While a preview runs its counts take the place of the parameter count.
  const live = useLiveCounts(data.name);
  return (
    <div
      className={`op op-${kind}${data.errors.length ? ' has-error' : ''}${selected ? ' selected' : ''}${data.dirty ? ' op-dirty' : ''}`}
      data-testid="operation-node"
      data-name={data.name}
      data-kind={data.operationType}
      data-dirty={data.dirty ? 'true' : undefined}
      title={[...data.errors, ...data.warnings].join('\n') || undefined}
    >
      {kind !== 'source' && <Handle type="target" position={Position.Top} id="in" />}
      <div className="op-head">
        <span className="op-icon">{KIND_ICONS[kind] ?? '?'}</span>
        <span className="op-kind">{data.operationType || '(no kind)'}</span>
        {live && <PreviewBadge operation={data.name} counters={live} />}
        {!live && data.parameters.length > 0 && <span className="op-params" title={data.parameters.join(', ')}>{data.parameters.length} param{data.parameters.length > 1 ? 's' : ''}</span>}
      </div>
      <div className="op-name">{data.dirty && <span className="dirty-dot" data-testid="dirty-marker" title="changed since opened or saved">● </span>}{data.name}</div>
      {moduleName && <div className="op-module" title={data.module}>{moduleName}</div>}
      {data.errors.length > 0 && <div className="badge badge-error" data-testid="error-badge">{data.errors.length}</div>}
      {data.errors.length === 0 && data.warnings.length > 0 && <div className="badge badge-warning" data-testid="warning-badge">{data.warnings.length}</div>}
      {kind === 'branch' ? (
        <>
          <Handle type="source" position={Position.Bottom} id="True" style={{ left: '30%' }} className="handle-true" />
          <span className="arm-label arm-true">True</span>
          <Handle type="source" position={Position.Bottom} id="False" style={{ left: '70%' }} className="handle-false" />
          <span className="arm-label arm-false">False</span>
        </>
      ) : (
        kind !== 'sink' && <Handle type="source" position={Position.Bottom} id="out" />
      )}
    </div>
  );
}

export const OperationNodeComponent = memo(OperationNodeView);

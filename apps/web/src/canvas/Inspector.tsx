import { useEffect, useState } from 'react';
import { useDesigner } from '../store/designer.ts';

/** The selected operation: kind, module (editable), parameters and its diagnostics. */
export function Inspector() {
  const node = useDesigner((s) => s.nodes.find((n) => n.id === s.selected));
  const changeModule = useDesigner((s) => s.changeModule);
  const [module, setModule] = useState('');
  useEffect(() => setModule(node?.data.module ?? ''), [node?.data.module, node?.id]);
  if (!node) return <div className="inspector empty">Select an operation to inspect it.</div>;
  const commit = () => {
    if (module !== (node.data.module ?? '')) changeModule(node.id, module);
  };
  return (
    <div className="inspector" data-testid="inspector">
      <h3>{node.data.name}</h3>
      <div className="field"><span>kind</span><code>{node.data.operationType}</code></div>
      <label className="field">
        <span>module</span>
        <input
          data-testid="module-input"
          value={module}
          onChange={(e) => setModule(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === 'Enter' && commit()}
        />
      </label>
      {node.data.parameters.length > 0 && (
        <div className="field"><span>parameters</span><code>{node.data.parameters.join(', ')}</code></div>
      )}
      {[...node.data.errors.map((m) => ['error', m]), ...node.data.warnings.map((m) => ['warning', m])].map(([sev, m], i) => (
        <div key={i} className={`diag diag-${sev}`}>{m}</div>
      ))}
    </div>
  );
}

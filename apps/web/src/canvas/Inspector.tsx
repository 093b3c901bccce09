import { useEffect, useState } from 'react';
import { useDesigner } from '../store/designer.ts';
import { needsModule } from '../model/naming.ts';
import { defaultDefinitionApi, type DefinitionApi } from '../definition/api.ts';
import { ModulePicker } from '../definition/ModulePicker.tsx';
import { ParametersEditor } from '../definition/ParametersEditor.tsx';

/** A text field that writes when left or on Enter (one undo step per change, not per key). */
function CommitInput({ value, onCommit, testId }: { value: string; onCommit(v: string): void; testId: string }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  return <input data-testid={testId} value={draft} spellCheck={false} onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} />;
}

/** The selected operation: name, kind, module (typed or picked from the registry), parameters and diagnostics. */
export function Inspector({ api }: { api?: DefinitionApi }) {
  const node = useDesigner((s) => s.nodes.find((n) => n.id === s.selected));
  const changeModule = useDesigner((s) => s.changeModule);
  const renameOperation = useDesigner((s) => s.renameOperation);
  if (!node) return <div className="inspector empty">Select an operation to inspect it.</div>;
  return (
    <div className="inspector" data-testid="inspector">
      <h3>{node.data.name}{node.data.dirty && <span className="unsaved" title="changed since opened or saved"> ●</span>}</h3>
      <label className="field"><span>name</span><CommitInput testId="name-input" value={node.data.name} onCommit={(v) => renameOperation(node.id, v)} /></label>
      <div className="field"><span>kind</span><code>{node.data.operationType}</code></div>
      {(needsModule(node.data.operationType) || node.data.module) && (
        <>
          <label className="field">
            <span>module</span>
            <CommitInput testId="module-input" value={node.data.module ?? ''} onCommit={(v) => changeModule(node.id, v.trim())} />
          </label>
          <ModulePicker api={api ?? defaultDefinitionApi()} node={node} />
        </>
      )}
      <ParametersEditor operation={node.data.name} />
      {[...node.data.errors.map((m) => ['error', m]), ...node.data.warnings.map((m) => ['warning', m])].map(([sev, m], i) => (
        <div key={i} className={`diag diag-${sev}`}>{m}</div>
      ))}
    </div>
  );
}

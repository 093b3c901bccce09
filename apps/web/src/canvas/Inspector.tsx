import { useDesigner } from '../store/designer.ts';
import { LiveInput } from '../ui/LiveInput.tsx';
import { needsModule } from '../model/naming.ts';
import { defaultDefinitionApi, type DefinitionApi } from '../definition/api.ts';
import { ModulePicker } from '../definition/ModulePicker.tsx';
import { ParametersEditor } from '../definition/ParametersEditor.tsx';

/** Why `text` cannot name operation `id` now (checked as it is typed). */
function nameProblem(text: string, id: string): string | undefined {
  const wanted = text.trim();
  if (!wanted) return 'an operation needs a name';
  if (wanted !== id && useDesigner.getState().nodes.some((n) => n.id === wanted)) return `there is already an operation named "${wanted}"`;
  return undefined;
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
      <label className="field"><span>name</span>
        <LiveInput testId="name-input" value={node.data.name} problem={(v) => nameProblem(v, node.id)} onApply={(v, burst) => renameOperation(node.id, v, burst)} />
      </label>
      <div className="field"><span>kind</span><code>{node.data.operationType}</code></div>
      {(needsModule(node.data.operationType) || node.data.module) && (
        <>
          <label className="field">
            <span>module</span>
            <LiveInput testId="module-input" value={node.data.module ?? ''}
              onApply={(v, burst) => changeModule(node.id, v.trim(), undefined, { burst })}
              onSettle={(v) => changeModule(node.id, v.trim())} />
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

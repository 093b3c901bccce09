import { analyse, useDesigner } from '../store/designer.ts';
import { diagnosticTarget } from '../model/diagnostics.ts';

/** Every diagnostic with its line; a click shows the line and selects the operation it concerns. */
export function DiagnosticsList() {
  const diagnostics = useDesigner((s) => s.diagnostics);
  const goToLine = useDesigner((s) => s.goToLine);
  const select = useDesigner((s) => s.select);
  if (!diagnostics.length) return <div className="diagnostics ok" data-testid="diagnostics">No problems.</div>;
  return (
    <ul className="diagnostics" data-testid="diagnostics">
      {diagnostics.map((d, i) => (
        <li key={i} className={`diag diag-${d.severity}`} data-testid="diagnostic" data-line={d.line ?? ''}
          onClick={() => {
            const target = diagnosticTarget(d, analyse(useDesigner.getState().yaml).value);
            if (target.nodeId) select(target.nodeId);
            if (d.line) goToLine(d.line);
          }}>
          <code>{d.line ? `${d.line}:${d.column ?? 1}` : '–'}</code> {d.message}{d.path ? ` (at ${d.path})` : ''}
        </li>
      ))}
    </ul>
  );
}

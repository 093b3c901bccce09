import { useEffect, useMemo, useState } from 'react';
import { analyse, useDesigner } from '../store/designer.ts';
import { parametersOf, type ParameterRow } from '../model/parameters.ts';
import { uniqueName } from '../model/naming.ts';
import { LiveInput } from '../ui/LiveInput.tsx';

/**
 * One parameter: every field is written as it is typed (a burst in one field
 * is one undo step). The key renames the parameter while it is typed; an empty
 * or taken key waits in the field, explained, until it is valid.
 */
function ParameterEditorRow({ operation, row, keys }: { operation: string; row: ParameterRow; keys: string[] }) {
  const setParameter = useDesigner((s) => s.setParameter);
  const removeParameter = useDesigner((s) => s.removeParameter);
  const [draft, setDraft] = useState(row);
  useEffect(() => setDraft(row), [row]);
  const commit = (next = draft) => {
    if (JSON.stringify(next) === JSON.stringify(row)) return;
    const { key, ...p } = next;
    setParameter(operation, row.key, key, p);
  };
  const rekey = (typed: string, burst: string) => {
    const key = typed.trim();
    const { key: _key, ...p } = { ...draft, key };
    // The name follows a renamed key while the two were the same (the reference warns when they differ).
    if (p.name === row.key) p.name = key;
    setParameter(operation, row.key, key, p, burst);
  };
  const keyProblem = (typed: string) => {
    const key = typed.trim();
    if (!key) return 'a parameter needs a key';
    return key !== row.key && keys.includes(key) ? `there is already a parameter "${key}"` : undefined;
  };
  const live = (field: string, next: ParameterRow) => {
    setDraft(next);
    const { key: _key, ...p } = next;
    setParameter(operation, row.key, row.key, p, `${operation}:${row.key}:${field}`);
  };
  const text = (field: 'name' | 'description' | 'default', placeholder: string) => (
    <input
      data-testid={`param-${field}`}
      value={draft[field] ?? ''}
      placeholder={placeholder}
      spellCheck={false}
      onChange={(e) => live(field, { ...draft, key: row.key, [field]: e.target.value })}
    />
  );
  return (
    <tr data-testid="parameter-row" data-key={row.key}>
      <td><LiveInput testId="param-key" value={row.key} placeholder="key" problem={keyProblem} onApply={rekey} /></td>
      <td>{text('name', 'name')}</td>
      <td>{text('description', 'description')}</td>
      <td>{text('default', 'default')}</td>
      <td>
        <input
          type="checkbox"
          data-testid="param-required"
          checked={!!draft.required}
          onChange={(e) => {
            const next = { ...draft, required: e.target.checked };
            setDraft(next);
            commit(next);
          }}
        />
      </td>
      <td><button aria-label={`Remove parameter ${row.key}`} onClick={() => removeParameter(operation, row.key)}>✕</button></td>
    </tr>
  );
}

/**
 * The operation's `moduleConfigurations` parameters: key, name, description,
 * default and required. They become the per-operator configuration fields of
 * a DataflowGraph using this definition.
 */
export function ParametersEditor({ operation }: { operation: string }) {
  const yaml = useDesigner((s) => s.yaml);
  const setParameter = useDesigner((s) => s.setParameter);
  const rows = useMemo(() => parametersOf(analyse(yaml).value, operation), [yaml, operation]);
  const add = () => {
    const key = uniqueName('param1', rows.map((r) => r.key));
    setParameter(operation, undefined, key, { name: key });
  };
  return (
    <div className="parameters" data-testid="parameters">
      <div className="field">
        <span>parameters</span>
        <button data-testid="add-parameter" onClick={add}>+ parameter</button>
      </div>
      {rows.length > 0 && (
        <table className="list params-editor">
          <thead><tr><th>key</th><th>name</th><th>description</th><th>default</th><th>required</th><th /></tr></thead>
          {/* Keyed by position: a key renamed as it is typed keeps its row (and the focus). */}
          <tbody>{rows.map((r, i) => <ParameterEditorRow key={i} operation={operation} row={r} keys={rows.map((x) => x.key)} />)}</tbody>
        </table>
      )}
    </div>
  );
}

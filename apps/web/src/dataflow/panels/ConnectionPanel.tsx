import type { DataflowGraphNodeConnection } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { disconnect, editManifest } from '../manifest.ts';
import { baseName } from '../flow.ts';
import { SchemaFields, writeSchema } from './SchemaFields.tsx';
import { useLiveDraft } from './useLiveDraft.ts';

const OUTPUTS = ['', 'output.true', 'output.false'];

/**
 * A connection: which output of its `from` node it takes (a branch's
 * output.true / output.false, or a named output) and the message schema it
 * carries — the schemaRef the reference's web UI cannot show or set.
 */
export function ConnectionPanel({ index, connection }: { index: number; connection: DataflowGraphNodeConnection }) {
  const fromName = connection.from?.name ?? '';
  const node = baseName(fromName);
  const current = {
    output: fromName.slice(node.length + 1),
    schema: { schemaRef: connection.from?.schema?.schemaRef ?? '', format: connection.from?.schema?.serializationFormat ?? '' },
  };
  const [draft, update] = useLiveDraft(current, `connection:${index}`, (text, d) => editManifest(text, (doc) => {
    const at = ['spec', 'nodeConnections', index, 'from'];
    doc.setIn([...at, 'name'], d.output.trim() ? `${node}.${d.output.trim()}` : node);
    writeSchema(doc, at, d.schema);
  }));
  return (
    <div className="panel-form" data-testid="connection-panel">
      <div className="field"><span>From</span><code>{node}</code></div>
      <div className="field"><span>To</span><code>{connection.to?.name}</code></div>
      <label className="field"><span>Output</span>
        <input data-testid="connection-output" list="connection-outputs" value={draft.output} placeholder="(the node's output)" onChange={(e) => update('output', { ...draft, output: e.target.value })} />
        <datalist id="connection-outputs">{OUTPUTS.filter(Boolean).map((o) => <option key={o} value={o} />)}</datalist>
      </label>
      <SchemaFields value={draft.schema} onChange={(schema) => update('schema', { ...draft, schema })} label="Schema" testId="connection-schema" />
      <button className="danger" data-testid="delete-connection" onClick={() => {
        useDataflow.getState().edit((t) => disconnect(t, [index]));
        useDataflow.getState().selectConnection(undefined);
      }}>Delete connection</button>
    </div>
  );
}

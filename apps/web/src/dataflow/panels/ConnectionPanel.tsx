import { useEffect, useState } from 'react';
import type { DataflowGraphNodeConnection } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { disconnect, editManifest } from '../manifest.ts';
import { baseName } from '../flow.ts';

const OUTPUTS = ['', 'output.true', 'output.false'];

/**
 * A connection: which output of its `from` node it takes (a branch's
 * output.true / output.false, or a named output) and the message schema it
 * carries — the schemaRef the reference's web UI cannot show or set.
 */
export function ConnectionPanel({ index, connection }: { index: number; connection: DataflowGraphNodeConnection }) {
  const fromName = connection.from?.name ?? '';
  const node = baseName(fromName);
  const [output, setOutput] = useState(fromName.slice(node.length + 1));
  const [schemaRef, setSchemaRef] = useState(connection.from?.schema?.schemaRef ?? '');
  const [format, setFormat] = useState(connection.from?.schema?.serializationFormat ?? '');
  useEffect(() => {
    setOutput(fromName.slice(node.length + 1));
    setSchemaRef(connection.from?.schema?.schemaRef ?? '');
    setFormat(connection.from?.schema?.serializationFormat ?? '');
  }, [connection, fromName, node]);

  const apply = () => useDataflow.getState().edit((text) => editManifest(text, (doc) => {
    const at = ['spec', 'nodeConnections', index, 'from'];
    doc.setIn([...at, 'name'], output.trim() ? `${node}.${output.trim()}` : node);
    if (!schemaRef.trim() && !format) doc.deleteIn([...at, 'schema']);
    else doc.setIn([...at, 'schema'], doc.createNode({ ...(schemaRef.trim() ? { schemaRef: schemaRef.trim() } : {}), ...(format ? { serializationFormat: format } : {}) }));
  }));
  return (
    <div className="panel-form" data-testid="connection-panel">
      <div className="field"><span>From</span><code>{node}</code></div>
      <div className="field"><span>To</span><code>{connection.to?.name}</code></div>
      <label className="field"><span>Output</span>
        <input data-testid="connection-output" list="connection-outputs" value={output} placeholder="(the node's output)" onChange={(e) => setOutput(e.target.value)} />
        <datalist id="connection-outputs">{OUTPUTS.filter(Boolean).map((o) => <option key={o} value={o} />)}</datalist>
      </label>
      <label className="field"><span>Schema</span><input data-testid="connection-schema" value={schemaRef} placeholder="aio-sr://namespace/name:1" onChange={(e) => setSchemaRef(e.target.value)} /></label>
      <label className="field"><span>Format</span>
        <select value={format} onChange={(e) => setFormat(e.target.value)}>
          <option value="">(none)</option>
          {['Json', 'Avro', 'Delta', 'Parquet'].map((f) => <option key={f}>{f}</option>)}
        </select>
      </label>
      <button className="primary" data-testid="apply-connection" onClick={apply}>Apply</button>
      <button className="danger" data-testid="delete-connection" onClick={() => {
        useDataflow.getState().edit((t) => disconnect(t, [index]));
        useDataflow.getState().selectConnection(undefined);
      }}>Delete connection</button>
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { SourceNode } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { editManifest, nodeIndex } from '../manifest.ts';
import { TopicRows } from './TopicRows.tsx';
import { EndpointSelect } from './EndpointSelect.tsx';

/** Source details: endpoint, topic filters (rows), asset, and the message schema on its outgoing connections. */
export function SourcePanel({ node }: { node: SourceNode }) {
  const value = useDataflow((s) => s.value);
  const firstOut = value?.spec?.nodeConnections?.find((c) => c?.from?.name === node.name);
  const [endpoint, setEndpoint] = useState(node.sourceSettings?.endpointRef ?? '');
  const [topics, setTopics] = useState<string[]>(node.sourceSettings?.dataSources ?? []);
  const [asset, setAsset] = useState(node.sourceSettings?.assetRef ?? '');
  const [schemaRef, setSchemaRef] = useState(firstOut?.from.schema?.schemaRef ?? '');
  const [format, setFormat] = useState(firstOut?.from.schema?.serializationFormat ?? '');
  useEffect(() => {
    setEndpoint(node.sourceSettings?.endpointRef ?? '');
    setTopics(node.sourceSettings?.dataSources ?? []);
    setAsset(node.sourceSettings?.assetRef ?? '');
  }, [node]);
  useEffect(() => {
    setSchemaRef(firstOut?.from.schema?.schemaRef ?? '');
    setFormat(firstOut?.from.schema?.serializationFormat ?? '');
  }, [firstOut]);

  const apply = () => useDataflow.getState().edit((text) => editManifest(text, (doc) => {
    const at = ['spec', 'nodes', nodeIndex(doc, node.name), 'sourceSettings'];
    doc.setIn([...at, 'endpointRef'], endpoint);
    doc.setIn([...at, 'dataSources'], doc.createNode(topics.map((t) => t.trim()).filter(Boolean)));
    if (asset.trim()) doc.setIn([...at, 'assetRef'], asset.trim());
    else doc.deleteIn([...at, 'assetRef']);
    // The schema sits on the connections leaving the source (reference §4.2).
    (value?.spec?.nodeConnections ?? []).forEach((c, i) => {
      if (c?.from?.name !== node.name) return;
      const schemaAt = ['spec', 'nodeConnections', i, 'from', 'schema'];
      if (!schemaRef.trim() && !format) doc.deleteIn(schemaAt);
      else doc.setIn(schemaAt, doc.createNode({ ...(schemaRef.trim() ? { schemaRef: schemaRef.trim() } : {}), ...(format ? { serializationFormat: format } : {}) }));
    });
  }));

  return (
    <div className="panel-form" data-testid="source-panel">
      <EndpointSelect value={endpoint} onChange={setEndpoint} role="source" />
      <div className="field-label">Topic(s)</div>
      <TopicRows topics={topics} onChange={setTopics} label="topic" />
      <label className="field"><span>Asset</span><input value={asset} placeholder="(optional) asset reference" onChange={(e) => setAsset(e.target.value)} /></label>
      <label className="field"><span>Message schema</span><input data-testid="schema-ref" value={schemaRef} placeholder="aio-sr://namespace/name:1" onChange={(e) => setSchemaRef(e.target.value)} /></label>
      <label className="field"><span>Format</span>
        <select value={format} onChange={(e) => setFormat(e.target.value)}>
          <option value="">(none)</option>
          {['Json', 'Avro', 'Delta', 'Parquet'].map((f) => <option key={f}>{f}</option>)}
        </select>
      </label>
      <button className="primary" data-testid="apply-source" onClick={apply}>Apply</button>
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { SourceNode } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { editManifest, nodeIndex } from '../manifest.ts';
import { TopicRows } from './TopicRows.tsx';
import { EndpointSelect } from './EndpointSelect.tsx';
import { SchemaFields, writeSchema, type SchemaValue } from './SchemaFields.tsx';
import { useApplyOnLeave } from './useApplyOnLeave.ts';

/** Source details: endpoint, topic filters (rows), asset, and the message schema on its outgoing connections. */
export function SourcePanel({ node }: { node: SourceNode }) {
  const value = useDataflow((s) => s.value);
  const firstOut = value?.spec?.nodeConnections?.find((c) => c?.from?.name === node.name);
  const [endpoint, setEndpoint] = useState(node.sourceSettings?.endpointRef ?? '');
  const [topics, setTopics] = useState<string[]>(node.sourceSettings?.dataSources ?? []);
  const [asset, setAsset] = useState(node.sourceSettings?.assetRef ?? '');
  const schemaOf = (): SchemaValue => ({ schemaRef: firstOut?.from.schema?.schemaRef ?? '', format: firstOut?.from.schema?.serializationFormat ?? '' });
  const [schema, setSchema] = useState(schemaOf);
  useEffect(() => {
    setEndpoint(node.sourceSettings?.endpointRef ?? '');
    setTopics(node.sourceSettings?.dataSources ?? []);
    setAsset(node.sourceSettings?.assetRef ?? '');
  }, [node]);
  useEffect(() => setSchema(schemaOf()), [firstOut]);

  const apply = () => useDataflow.getState().edit((text) => editManifest(text, (doc) => {
    const at = ['spec', 'nodes', nodeIndex(doc, node.name), 'sourceSettings'];
    doc.setIn([...at, 'endpointRef'], endpoint);
    doc.setIn([...at, 'dataSources'], doc.createNode(topics.map((t) => t.trim()).filter(Boolean)));
    if (asset.trim()) doc.setIn([...at, 'assetRef'], asset.trim());
    else doc.deleteIn([...at, 'assetRef']);
    // The schema sits on the connections leaving the source (reference §4.2).
    (value?.spec?.nodeConnections ?? []).forEach((c, i) => {
      if (c?.from?.name !== node.name) return;
      writeSchema(doc, ['spec', 'nodeConnections', i, 'from'], schema);
    });
  }));
  const leave = useApplyOnLeave(apply);

  return (
    <div className="panel-form" data-testid="source-panel" onChange={leave.onChange} onClick={leave.onClick} onBlur={leave.onBlur}>
      <EndpointSelect value={endpoint} onChange={setEndpoint} role="source" />
      <div className="field-label">Topic(s)</div>
      <TopicRows topics={topics} onChange={setTopics} label="topic" />
      <label className="field"><span>Asset</span><input value={asset} placeholder="(optional) asset reference" onChange={(e) => setAsset(e.target.value)} /></label>
      <SchemaFields value={schema} onChange={setSchema} label="Message schema" testId="schema-ref" />
      <button className="primary" data-testid="apply-source" onClick={leave.applyNow}>Apply</button>
    </div>
  );
}

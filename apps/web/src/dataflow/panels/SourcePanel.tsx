import type { SourceNode } from '@wgs/graph-model';
import { useDataflow } from '../store.ts';
import { editManifest, nodeIndex } from '../manifest.ts';
import { TopicRows } from './TopicRows.tsx';
import { EndpointSelect } from './EndpointSelect.tsx';
import { SchemaFields, writeSchema, type SchemaValue } from './SchemaFields.tsx';
import { useLiveDraft } from './useLiveDraft.ts';

interface SourceDraft {
  endpoint: string;
  topics: string[];
  asset: string;
  schema: SchemaValue;
}

/** Source details: endpoint, topic filters (rows), asset, and the message schema on its outgoing connections. */
export function SourcePanel({ node }: { node: SourceNode }) {
  const value = useDataflow((s) => s.value);
  const firstOut = value?.spec?.nodeConnections?.find((c) => c?.from?.name === node.name);
  const current: SourceDraft = {
    endpoint: node.sourceSettings?.endpointRef ?? '',
    topics: node.sourceSettings?.dataSources ?? [],
    asset: node.sourceSettings?.assetRef ?? '',
    schema: { schemaRef: firstOut?.from.schema?.schemaRef ?? '', format: firstOut?.from.schema?.serializationFormat ?? '' },
  };
  const [draft, update] = useLiveDraft(current, `source:${node.name}`, (text, d) => editManifest(text, (doc) => {
    const at = ['spec', 'nodes', nodeIndex(doc, node.name), 'sourceSettings'];
    doc.setIn([...at, 'endpointRef'], d.endpoint);
    doc.setIn([...at, 'dataSources'], doc.createNode(d.topics.map((t) => t.trim()).filter(Boolean)));
    if (d.asset.trim()) doc.setIn([...at, 'assetRef'], d.asset.trim());
    else doc.deleteIn([...at, 'assetRef']);
    // The schema sits on the connections leaving the source (reference §4.2).
    (value?.spec?.nodeConnections ?? []).forEach((c, i) => {
      if (c?.from?.name !== node.name) return;
      writeSchema(doc, ['spec', 'nodeConnections', i, 'from'], d.schema);
    });
  }));

  return (
    <div className="panel-form" data-testid="source-panel">
      <EndpointSelect value={draft.endpoint} onChange={(endpoint) => update('endpoint', { ...draft, endpoint })} role="source" />
      <div className="field-label">Topic(s)</div>
      <TopicRows topics={draft.topics} onChange={(topics) => update('topics', { ...draft, topics })} label="topic" />
      <label className="field"><span>Asset</span><input value={draft.asset} placeholder="(optional) asset reference" onChange={(e) => update('asset', { ...draft, asset: e.target.value })} /></label>
      <SchemaFields value={draft.schema} onChange={(schema) => update('schema', { ...draft, schema })} label="Message schema" testId="schema-ref" />
    </div>
  );
}

import { useMemo, useState } from 'react';
import type { GraphNode } from '@wgs/graph-model';
import type { ApiClient, GraphPreview } from '../../api/client.ts';
import { RegistryBrowser } from '../../registry/RegistryBrowser.tsx';
import { useDataflow } from '../store.ts';
import { editManifest, nodeIndex, setConfiguration } from '../manifest.ts';
import { configForm, formValues, undeclared } from '../config-form.ts';
import { useDefinition } from '../useDefinition.ts';
import { useLiveDraft } from './useLiveDraft.ts';

interface Props {
  api: ApiClient;
  node: GraphNode;
  /** Opens the transform's operator graph (with this node's configuration). */
  onOpenDefinition(definition: GraphPreview, configuration: Record<string, string>): void;
}

/** A graph transform: its artifact (picked from a registry), and the configuration form its definition declares. */
export function TransformPanel({ api, node, onOpenDefinition }: Props) {
  const settings = node.graphSettings ?? ({} as GraphNode['graphSettings']);
  const registryEndpoints = useDataflow((s) => s.context.registryEndpoints);
  const [browsing, setBrowsing] = useState(false);
  const { definition, error, loading } = useDefinition(api, settings.registryEndpointRef, settings.artifact || undefined);
  const parameters = useMemo(() => definition?.graph?.parameters ?? [], [definition]);
  // Each keystroke writes the configuration (one undo step per field burst).
  const [values, update] = useLiveDraft(formValues(settings.configuration, {}), `transform:${node.name}:${settings.artifact ?? ''}`,
    (text, d) => setConfiguration(text, node.name, d));
  const sections = configForm(parameters, Object.entries(values).map(([key, value]) => ({ key, value })));
  const extra = undeclared(parameters, settings.configuration);

  const pick = (endpoint: string, artifact: string) => useDataflow.getState().edit((text) => editManifest(text, (doc) => {
    const at = ['spec', 'nodes', nodeIndex(doc, node.name), 'graphSettings'];
    doc.setIn([...at, 'registryEndpointRef'], endpoint);
    doc.setIn([...at, 'artifact'], artifact);
  }));

  return (
    <div className="panel-form" data-testid="transform-panel">
      <label className="field"><span>Registry</span>
        <select data-testid="transform-registry" value={settings.registryEndpointRef ?? ''} onChange={(e) => pick(e.target.value, settings.artifact ?? '')}>
          {!registryEndpoints.some((r) => r.metadata.name === settings.registryEndpointRef) && <option value={settings.registryEndpointRef ?? ''}>{settings.registryEndpointRef || '(choose)'}</option>}
          {registryEndpoints.map((r) => <option key={r.metadata.name} value={r.metadata.name}>{r.metadata.name} ({r.spec.host})</option>)}
        </select>
      </label>
      <div className="field"><span>Artifact</span><code data-testid="transform-artifact">{settings.artifact || '(none)'}</code>
        <button data-testid="pick-artifact" onClick={() => setBrowsing(true)}>Choose…</button>
      </div>
      {loading && <div className="muted">loading the graph definition…</div>}
      {error && <div className="diag diag-error" data-testid="definition-error">{error}</div>}
      {definition?.graph && (
        <div className="definition-summary">
          <strong>{definition.graph.name}</strong> {definition.graph.version} · {definition.graph.operations.length} operations
          {definition.graph.description && <div className="muted">{definition.graph.description}</div>}
          <button data-testid="open-definition" onClick={() => onOpenDefinition(definition, values)}>Open operator graph</button>
        </div>
      )}
      {definition && sections.length === 0 && <div className="muted">This graph declares no parameters.</div>}
      {sections.map((s) => (
        <fieldset key={s.operation} className="config-section" data-testid="config-section" data-operation={s.operation}>
          <legend>{s.operation}</legend>
          {s.fields.map((f) => (
            <label key={f.key} className="config-field" title={f.note}>
              <span>{f.label}{f.required && <b className="diag-error" title="required"> *</b>}</span>
              <input
                data-testid={`config-${f.key}`}
                value={f.value}
                placeholder={f.placeholder ? `default: ${f.placeholder}` : ''}
                onChange={(e) => update(f.key, { ...values, [f.key]: e.target.value })}
                aria-invalid={!!f.problem}
              />
              {f.description && <small className="muted">{f.description}</small>}
              {f.note && <small className="diag-warning">{f.note}</small>}
              {f.problem && <small className="diag-error">{f.problem}</small>}
            </label>
          ))}
        </fieldset>
      ))}
      {extra.length > 0 && (
        <div className="diag diag-warning" data-testid="undeclared-config">
          Not declared by the graph (kept): {extra.map((c) => <code key={c.key}>{c.key}={c.value} </code>)}
        </div>
      )}
      {browsing && (
        <RegistryBrowser
          api={api}
          heading="Choose the graph for this transform"
          action="Use this graph"
          onClose={() => setBrowsing(false)}
          onOpen={(_title, _yaml, picked) => {
            setBrowsing(false);
            pick(picked.endpoint, picked.artifact);
          }}
        />
      )}
    </div>
  );
}

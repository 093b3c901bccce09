import { useEffect, useRef, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { Resource, ServerInfo } from '@wgs/api-contract';
import type { ApiClient, GraphPreview } from '../api/client.ts';
import { YamlEditor } from '../yaml/YamlEditor.tsx';
import { DeployDialog } from '../deploy/DeployDialog.tsx';
import { NoClusterDeployDialog } from '../deploy/NoClusterDeployDialog.tsx';
import type { BundleResource } from '../deploy/bundle.ts';
import { applyCopyToText } from '../deploy/copy.ts';
import { HealthBadge } from '../deploy/HealthBadge.tsx';
import { useDeployment } from '../deploy/useDeployment.ts';
import { VersionCompare } from '../deploy/VersionCompare.tsx';
import { useDataflow } from './store.ts';
import { DataflowCanvas } from './DataflowCanvas.tsx';
import { NodePanel } from './panels/NodePanel.tsx';
import { openOperatorGraph } from './open-graph.ts';
import { BuiltinMenu } from './builtins/BuiltinMenu.tsx';
import { DataflowPreviewButton } from './builtins/DataflowPreviewButton.tsx';
import { builtinBlocker } from './builtins/diagnostics.ts';
import type { PreviewFeed } from './flow.ts';
import { isTextTarget, shortcutFor } from '../canvas/shortcuts.ts';
import { draftResource, saveDraft, type SaveOutcome } from './save.ts';
import { humanMessage } from '../model/human-messages.ts';
import './dataflow.css';

interface Props {
  api: ApiClient;
  info?: ServerInfo;
  onBack(): void;
  onOpenDefinition(definition: GraphPreview, configuration: Record<string, string>, feed: PreviewFeed): void;
}

/**
 * Ctrl/Cmd+S saves anywhere; the definition editor's other shortcuts (undo,
 * redo, copy, paste, select all) act on this canvas while focus is not in a text field.
 */
function useShortcuts(onSave: () => void) {
  // The latest handler, so the listener is added once.
  const save = useRef(onSave);
  save.current = onSave;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        return save.current();
      }
      if (isTextTarget(e.target)) return;
      const s = useDataflow.getState();
      switch (shortcutFor(e)) {
        case 'undo':
          e.preventDefault();
          return s.undo();
        case 'redo':
          e.preventDefault();
          return s.redo();
        case 'copy':
          return void s.copySelection();
        case 'paste':
          e.preventDefault();
          return s.paste();
        case 'selectAll':
          e.preventDefault();
          return s.setNodes(s.nodes.map((n) => ({ ...n, selected: true })));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

const HEADER_POLL_MS = 5000;

/** A DataflowGraph: source → graph transform(s) → destination on the canvas, the selected node's form, the manifest's YAML. */
export function DataflowEditor({ api, info, onBack, onOpenDefinition }: Props) {
  const yaml = useDataflow((s) => s.yaml);
  const diagnostics = useDataflow((s) => s.diagnostics);
  const savedName = useDataflow((s) => s.savedName);
  const name = useDataflow((s) => s.value?.metadata?.name ?? '');
  const dirty = useDataflow((s) => s.yaml !== s.baseline);
  const canUndo = useDataflow((s) => s.canUndo);
  const canRedo = useDataflow((s) => s.canRedo);
  const editError = useDataflow((s) => s.editError);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const [outcome, setOutcome] = useState<SaveOutcome>();
  const [deploying, setDeploying] = useState<{ draft: Resource }>();
  // The text being deployed (the copy step rewrites it while the dialog is open).
  const deployingText = useRef('');
  const storeIsCluster = !!info?.storeIsCluster;
  // The engine's health of the deployed copy, in the header (not while the dialog polls it itself).
  const deployment = useDeployment(api, name, !!info?.cluster && !deploying, HEADER_POLL_MS);
  const s = useDataflow.getState();
  // New transforms pick from the embedded registry when there is one, else the first registry endpoint.
  const registries = useDataflow((st) => st.context.registryEndpoints);
  const defaultRegistry = registries.some((r) => r.metadata.name === 'embedded') ? 'embedded' : registries[0]?.metadata.name ?? 'embedded';

  const save = async (overwrite?: Resource) => {
    setOutcome(undefined);
    setOutcome(await saveDraft(api, overwrite));
  };
  const deploy = () => {
    const draft = draftResource();
    if (!draft) return setOutcome({ kind: 'failed', message: 'the YAML does not parse: fix it first' });
    // Rules a built-in would refuse at start are not deployed either.
    const blocker = builtinBlocker(useDataflow.getState().diagnostics, useDataflow.getState().value);
    if (blocker) return setOutcome({ kind: 'failed', message: blocker });
    deployingText.current = useDataflow.getState().yaml;
    setDeploying({ draft });
  };
  useShortcuts(() => void (storeIsCluster ? deploy() : save()));

  return (
    <div className="dataflow-editor" data-testid="dataflow-editor">
      <div className="editor-toolbar">
        <button onClick={onBack} data-testid="back-to-list">← Graphs</button>
        <strong data-testid="dataflow-name">{name || '(unnamed)'}</strong>
        {/* One word for the state, so the toolbar keeps to one row at 1280 px. */}
        {dirty && <span className="df-dirty" data-testid="unsaved-marker" title={savedName ? 'unsaved changes' : 'not saved yet'}>● unsaved</span>}
        {!savedName && !dirty && <span className="muted">not saved yet</span>}
        {deployment?.deployed && <HealthBadge live={deployment.live} testId="editor-health" />}
        <span className="sep" />
        <button data-testid="add-source" onClick={() => s.addNode('Source')}>+ Source</button>
        <button data-testid="add-transform" onClick={() => s.addNode('Graph', { registryEndpointRef: defaultRegistry, artifact: '' })}>+ Graph transform</button>
        <BuiltinMenu />
        <button data-testid="add-destination" onClick={() => s.addNode('Destination')}>+ Destination</button>
        <span className="sep" />
        <button data-testid="undo" disabled={!canUndo} onClick={() => s.undo()} title="Undo (Ctrl+Z)">↶</button>
        <button data-testid="redo" disabled={!canRedo} onClick={() => s.redo()} title="Redo (Ctrl+Shift+Z)">↷</button>
        <span className="sep" />
        {!storeIsCluster && <button className="primary" data-testid="save-graph" onClick={() => void save()} title="Save (Ctrl+S)">Save</button>}
        <button className={storeIsCluster ? 'primary' : ''} data-testid="deploy-graph" onClick={deploy} disabled={!info}
          title={info?.cluster ? `deploy to ${info.cluster}: shows the changes first` : 'no cluster is configured: shows how to connect one, or the manifests for kubectl apply'}>
          Deploy…
        </button>
        <span className="sep" />
        <DataflowPreviewButton previewUrl={api.previewUrl} />
        <span className={errors ? 'diag-error' : 'muted'} data-testid="dataflow-problems">{errors ? `${errors} error${errors > 1 ? 's' : ''}` : 'valid'}</span>
      </div>
      {editError && <div className="diag diag-error banner">{editError}</div>}
      {outcome && <OutcomeBanner outcome={outcome} onOverwrite={(r) => void save(r)} onDismiss={() => setOutcome(undefined)} />}
      <div className="dataflow-body">
        <ReactFlowProvider>
          <DataflowCanvas onOpenGraph={(node) => void openOperatorGraph(api, node, onOpenDefinition)} />
        </ReactFlowProvider>
        <NodePanel api={api} onOpenDefinition={onOpenDefinition} />
        <div className="dataflow-yaml">
          <YamlEditor value={yaml} onChange={(t) => useDataflow.getState().setYaml(t)} diagnostics={diagnostics} documentKind="dataflow-resource" testId="dataflow-yaml" exposeAs="wgsDataflowEditor" />
          <ul className="diagnostics" data-testid="dataflow-diagnostics">
            {diagnostics.map((d, i) => <li key={i} className={`diag-${d.severity}`}>{d.line ? `${d.line}:${d.column ?? 1} ` : ''}{d.path ? `${d.path}: ` : ''}{d.message}</li>)}
          </ul>
        </div>
      </div>
      {deploying && !info?.cluster && (
        <NoClusterDeployDialog draft={deploying.draft} namespace={info?.namespace ?? 'azure-iot-operations'} onClose={() => setDeploying(undefined)}
          known={[...useDataflow.getState().context.endpoints, ...useDataflow.getState().context.registryEndpoints] as unknown as BundleResource[]} />
      )}
      {deploying && info?.cluster && (
        <DeployDialog
          api={api}
          draft={deploying.draft}
          onClose={() => setDeploying(undefined)}
          onCopied={(result) => {
            useDataflow.getState().edit((y) => applyCopyToText(y, result));
            deployingText.current = useDataflow.getState().yaml;
          }}
          onApplied={(r) => {
            // Kept in the cluster: deploying is saving.
            if (storeIsCluster && r) useDataflow.getState().markSaved(deployingText.current, { name: r.metadata.name, resourceVersion: r.metadata.resourceVersion });
          }}
        />
      )}
    </div>
  );
}

function OutcomeBanner({ outcome, onOverwrite, onDismiss }: { outcome: SaveOutcome; onOverwrite(current: Resource): void; onDismiss(): void }) {
  if (outcome.kind === 'saved') return <div className="notice banner" data-testid="save-outcome" data-kind="saved">Saved {outcome.name}. <button onClick={onDismiss}>OK</button></div>;
  if (outcome.kind === 'failed') return <div className="diag diag-error banner" data-testid="save-outcome" data-kind="failed">Not saved: {outcome.message} <button onClick={onDismiss}>OK</button></div>;
  if (outcome.kind === 'invalid') {
    return (
      <div className="diag diag-error banner" data-testid="save-outcome" data-kind="invalid">
        Not saved: {outcome.error.message}
        <ul>{(outcome.error.where ?? []).map((d, i) => <li key={i}>{d.path}: {humanMessage(d.path, d.message)}</li>)}</ul>
        <button onClick={onDismiss}>OK</button>
      </div>
    );
  }
  return (
    <div className="diag banner conflict" data-testid="save-outcome" data-kind="conflict">
      <div className="diag-error">Not saved: {outcome.message}</div>
      <VersionCompare theirs={outcome.current} mine={outcome.mine} theirsLabel="the saved copy" />
      {outcome.current && <button className="primary" data-testid="overwrite" onClick={() => onOverwrite(outcome.current!)}>Save mine over it</button>}
      <button onClick={onDismiss}>Keep editing</button>
    </div>
  );
}

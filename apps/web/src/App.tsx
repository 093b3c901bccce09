import { useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { DataflowEndpointResource, RegistryEndpointResource } from '@wgs/graph-model';
import type { ServerInfo } from '@wgs/api-contract';
import { createApiClient, takeToken, type ApiClient, type GraphPreview } from './api/client.ts';
import { useDesigner } from './store/designer.ts';
import { GraphCanvas } from './canvas/GraphCanvas.tsx';
import { Inspector } from './canvas/Inspector.tsx';
import { YamlPanel } from './yaml/YamlPanel.tsx';
import { RegistryBrowser } from './registry/RegistryBrowser.tsx';
import { DiagnosticsList } from './yaml/DiagnosticsList.tsx';
import { PreviewBar } from './preview/PreviewBar.tsx';
import { PreviewPanel } from './preview/PreviewPanel.tsx';
import { usePreview } from './preview/store.ts';
import { GraphList } from './graphs/GraphList.tsx';
import { DataflowEditor } from './dataflow/DataflowEditor.tsx';
import type { PreviewFeed } from './dataflow/flow.ts';
import { useDataflow } from './dataflow/store.ts';
import { useView, type View } from './view.ts';
import { ThemeToggle } from './ui/ThemeToggle.tsx';
import { AUTOSAVE_KEY, keepDrafts, readKeptDraft, restoreDraft, type KeptDraft } from './dataflow/autosave.ts';

/** A server's idle timeout, pinged three times within. */
const KEEP_ALIVE_SHARE = 3;

/** Asks before dropping unsaved work in an editor (in-app; the browser's own guard covers closing the tab). */
function confirmDiscard(what: 'dataflow' | 'definition'): boolean {
  const dirty = what === 'dataflow' ? useDataflow.getState().isDirty() : useDesigner.getState().isDirty();
  if (!dirty) return true;
  const name = what === 'dataflow' ? useDataflow.getState().value?.metadata?.name ?? 'this graph' : useDesigner.getState().title || 'this definition';
  return window.confirm(`Discard the unsaved changes to ${name}?`);
}

async function loadContext(api: ApiClient) {
  const [endpoints, registryEndpoints] = await Promise.all([api.list('dataflowendpoints'), api.list('registryendpoints')]);
  useDataflow.getState().setContext({
    endpoints: endpoints as unknown as DataflowEndpointResource[],
    registryEndpoints: registryEndpoints as unknown as RegistryEndpointResource[],
  });
}

export function App() {
  const token = useMemo(() => takeToken(window.location, window.sessionStorage, (url) => window.history.replaceState(null, '', url)), []);
  const api = useMemo(() => createApiClient(token), [token]);
  const [view, setView] = useView();
  const [browsing, setBrowsing] = useState(false);
  const [info, setInfo] = useState<ServerInfo>();
  const [problem, setProblem] = useState<string>();
  const title = useDesigner((s) => s.title);
  const open = useDesigner((s) => s.open);
  const relayout = useDesigner((s) => s.relayout);
  const editError = useDesigner((s) => s.editError);
  const hasDataflow = useDataflow((s) => !!s.yaml);
  // Work left unsaved by an earlier visit, offered back once.
  const [kept, setKept] = useState<KeptDraft | undefined>(() => readKeptDraft(window.localStorage));
  useEffect(() => keepDrafts(useDataflow, window.localStorage), []);

  useEffect(() => {
    if (!token) return;
    api.info().then((i) => {
      setInfo(i);
      usePreview.getState().setDefaults({ topics: i.simulatorTopics, keepAliveMs: i.previewIdleMs / KEEP_ALIVE_SHARE });
    }, (e: Error) => setProblem(`the server did not answer: ${e.message}`));
    loadContext(api).catch((e: Error) => setProblem(`could not read the endpoints: ${e.message}`));
  }, [api, token]);

  // Closing or reloading the tab with unsaved work asks first.
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (useDataflow.getState().isDirty() || useDesigner.getState().isDirty()) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, []);

  const go = useCallback((next: View) => setView(next), [setView]);
  const openDataflow = (yaml: string, saved?: { name: string; resourceVersion?: string }) => {
    if (!confirmDiscard('dataflow')) return;
    useDataflow.getState().open(yaml, saved);
    void loadContext(api).catch(() => undefined);
    go('dataflow');
  };
  const openDefinition = (ref: string, yaml: string) => {
    if (!confirmDiscard('definition')) return;
    // Opened alone: previewed on what the simulator publishes, without the samples of the graph before.
    usePreview.getState().reset();
    void open(ref, yaml);
    go('definition');
  };
  // From a transform: its operator graph, previewed with the node's configuration on its sources' topics and endpoint.
  const openTransform = (definition: GraphPreview, configuration: Record<string, string>, feed: PreviewFeed) => {
    if (!confirmDiscard('definition')) return;
    usePreview.getState().reset({ configuration, ...(feed.topics.length ? { topics: feed.topics } : {}), ...(feed.endpoint ? { endpoint: feed.endpoint } : {}) });
    void open(definition.reference, definition.yaml);
    go('definition');
  };

  return (
    <div className="app">
      <header className="topbar">
        <strong>WASM Graph Studio</strong>
        <nav className="nav-tabs">
          <button className={view === 'graphs' ? 'active' : ''} data-testid="nav-graphs" onClick={() => go('graphs')}>Data flow graphs</button>
          <button className={view === 'dataflow' ? 'active' : ''} data-testid="nav-dataflow" disabled={!hasDataflow} onClick={() => go('dataflow')}>Data flow editor</button>
          <button className={view === 'definition' ? 'active' : ''} data-testid="nav-definition" onClick={() => go('definition')}>Graph definition</button>
        </nav>
        <button data-testid="open-registry" onClick={() => setBrowsing(true)}>Open from registry…</button>
        {view === 'definition' && <button onClick={() => void relayout()} disabled={!title}>Layout</button>}
        {view === 'definition' && <span className="title" data-testid="graph-title" title={title}>{title}</span>}
        {!token && <span className="diag diag-error">No API token: open the address the server printed (…/?token=…).</span>}
        {problem && <span className="diag diag-error">{problem}</span>}
        {view === 'definition' && editError && <span className="diag diag-error">{editError}</span>}
        <ThemeToggle />
      </header>
      {kept && (
        <div className="notice banner" data-testid="kept-draft">
          Unsaved changes to {kept.savedName ?? 'a new graph'} from {new Date(kept.at).toLocaleString()} were kept.{' '}
          <button data-testid="restore-draft" onClick={() => { restoreDraft(useDataflow, kept); setKept(undefined); void loadContext(api).catch(() => undefined); go('dataflow'); }}>Restore</button>{' '}
          <button onClick={() => { window.localStorage.removeItem(AUTOSAVE_KEY); setKept(undefined); }}>Discard</button>
        </div>
      )}
      {view === 'graphs' && <GraphList api={api} onOpen={openDataflow} />}
      {view === 'dataflow' && (
        hasDataflow
          ? <DataflowEditor api={api} info={info} onBack={() => go('graphs')} onOpenDefinition={openTransform} />
          : <div className="empty-state static">No data flow graph is open: pick one in the graph list or create one.</div>
      )}
      {view === 'definition' && (
        <main className="workspace">
          <section className="canvas-pane">
            <PreviewBar previewUrl={api.previewUrl} />
            <ReactFlowProvider>
              <GraphCanvas />
            </ReactFlowProvider>
            <Inspector />
            <PreviewPanel />
          </section>
          <section className="yaml-pane">
            <YamlPanel />
            <DiagnosticsList />
          </section>
        </main>
      )}
      {browsing && (
        <RegistryBrowser
          api={api}
          onClose={() => setBrowsing(false)}
          onOpen={(ref, yaml) => {
            setBrowsing(false);
            openDefinition(ref, yaml);
          }}
        />
      )}
    </div>
  );
}

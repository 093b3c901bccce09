import { useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { createApiClient, takeToken } from './api/client.ts';
import { useDesigner } from './store/designer.ts';
import { GraphCanvas } from './canvas/GraphCanvas.tsx';
import { Inspector } from './canvas/Inspector.tsx';
import { YamlPanel } from './yaml/YamlPanel.tsx';
import { RegistryBrowser } from './registry/RegistryBrowser.tsx';
import { DiagnosticsList } from './yaml/DiagnosticsList.tsx';
import { PreviewBar } from './preview/PreviewBar.tsx';
import { PreviewPanel } from './preview/PreviewPanel.tsx';
import { usePreview } from './preview/store.ts';

export function App() {
  const token = useMemo(() => takeToken(window.location, window.sessionStorage, (url) => window.history.replaceState(null, '', url)), []);
  const api = useMemo(() => createApiClient(token), [token]);
  const [browsing, setBrowsing] = useState(false);
  const title = useDesigner((s) => s.title);
  const open = useDesigner((s) => s.open);
  const relayout = useDesigner((s) => s.relayout);
  const editError = useDesigner((s) => s.editError);

  return (
    <div className="app">
      <header className="topbar">
        <strong>WASM Graph Studio</strong>
        <button data-testid="open-registry" onClick={() => setBrowsing(true)}>Open from registry…</button>
        <button onClick={() => void relayout()} disabled={!title}>Layout</button>
        <span className="title" data-testid="graph-title">{title}</span>
        {!token && <span className="diag diag-error">No API token: open the address the server printed (…/?token=…).</span>}
        {editError && <span className="diag diag-error">{editError}</span>}
      </header>
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
      {browsing && (
        <RegistryBrowser
          api={api}
          onClose={() => setBrowsing(false)}
          onOpen={(ref, yaml) => {
            setBrowsing(false);
            // A preview shows the definition it was started with: another one opened stops it.
            const { status, stop } = usePreview.getState();
            if (status !== 'idle' && status !== 'stopped') stop();
            void open(ref, yaml);
          }}
        />
      )}
    </div>
  );
}

import { useEffect, useRef } from 'react';
import { usePreview } from '../../preview/store.ts';
import { useDataflow } from '../store.ts';

/** Source messages fed again into a restarted preview, so an edited rule shows its result at once. */
const REPLAY_ON_EDIT = 10;
/** Edits closer together than this restart the preview once. */
const RESTART_DEBOUNCE_MS = 700;

/**
 * Preview of the whole data flow (the server's `start {dataflow}`): every
 * node's operations run as `<node>/<op>` on the Source nodes' topics; each
 * built-in's panel shows its latest input and output. An edit restarts it
 * with the last source messages replayed.
 */
export function DataflowPreviewButton({ previewUrl }: { previewUrl: () => string }) {
  const status = usePreview((s) => s.status);
  const problem = usePreview((s) => s.problem);
  // What the preview runs: the spec (moving a node only rewrites the layout annotation).
  const spec = useDataflow((s) => JSON.stringify(s.value?.spec ?? null));
  const valid = useDataflow((s) => !!s.value && !s.diagnostics.some((d) => d.severity === 'error'));
  // The spec the running preview was started with (undefined: not ours, or stopped).
  const started = useRef<string | undefined>(undefined);
  const running = status === 'running' || status === 'starting' || status === 'connecting';
  const start = (replay?: number) => {
    const s = useDataflow.getState();
    started.current = JSON.stringify(s.value?.spec ?? null);
    usePreview.getState().start(previewUrl(), s.yaml, { dataflow: true, ...(replay ? { replay } : {}) });
  };
  useEffect(() => {
    if (!running) started.current = undefined;
    if (!running || started.current === undefined || started.current === spec || !valid) return;
    const timer = setTimeout(() => start(REPLAY_ON_EDIT), RESTART_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [spec, running, valid]);
  return (
    <>
      {running ? (
        <button data-testid="dataflow-preview-stop" onClick={() => usePreview.getState().stop()}>■ Stop preview</button>
      ) : (
        <button data-testid="dataflow-preview-start" disabled={!valid} title={valid ? 'run the whole data flow on its sources\' topics; nothing is written to destinations' : 'fix the errors first'}
          onClick={() => {
            usePreview.getState().reset();
            start();
          }}>▶ Preview</button>
      )}
      <span className={problem ? 'diag-error' : 'muted'} data-testid="dataflow-preview-status" data-status={status}>{problem ?? (status === 'idle' ? '' : status)}</span>
    </>
  );
}

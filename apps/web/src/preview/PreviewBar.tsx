import { usePreview } from './store.ts';
import { useDesigner } from '../store/designer.ts';

/** Start/stop, pause/resume and clear the live preview of the definition in the editor, on the typed topic filters. */
export function PreviewBar({ previewUrl }: { previewUrl: () => string }) {
  const status = usePreview((s) => s.status);
  const paused = usePreview((s) => s.paused);
  const topics = usePreview((s) => s.topics);
  const problem = usePreview((s) => s.problem);
  const skipped = usePreview((s) => s.skippedWhilePaused);
  const hasGraph = useDesigner((s) => !!s.yaml.trim());
  const running = status === 'running' || status === 'starting' || status === 'connecting';
  const preview = usePreview.getState();
  return (
    <div className="preview-bar" data-testid="preview-bar" data-status={status}>
      <strong>Preview</strong>
      <input
        data-testid="preview-topics"
        aria-label="topic filters"
        title="MQTT topic filters, separated by commas or spaces"
        value={topics}
        onChange={(e) => preview.setTopics(e.target.value)}
        disabled={running}
      />
      {running ? (
        <button data-testid="preview-stop" onClick={() => preview.stop()}>Stop</button>
      ) : (
        <button data-testid="preview-start" className="primary" disabled={!hasGraph} onClick={() => preview.start(previewUrl(), useDesigner.getState().yaml)}>
          Start
        </button>
      )}
      <button data-testid="preview-pause" disabled={status !== 'running'} onClick={() => (paused ? preview.resume() : preview.pause())}>
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button data-testid="preview-clear" disabled={status !== 'running'} onClick={() => preview.clear()}>Clear</button>
      <span className="muted" data-testid="preview-status">
        {status}
        {paused ? ` (paused${skipped ? `, ${skipped} skipped` : ''})` : ''}
      </span>
      {problem && <span className="diag diag-error" data-testid="preview-problem">{problem}</span>}
    </div>
  );
}

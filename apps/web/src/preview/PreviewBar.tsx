import type { PreviewHealth } from '@wgs/api-contract';
import { REPLAY_COUNT, usePreview, type PreviewContext } from './store.ts';
import { useDesigner } from '../store/designer.ts';

/** What a preview started in context adds (a DataflowGraph node's configuration, its endpoint). */
function contextText(c: PreviewContext): string | undefined {
  const parts: string[] = [];
  if (c.endpoint) parts.push(`endpoint ${c.endpoint}`);
  const n = Object.keys(c.configuration ?? {}).length;
  if (n) parts.push(`${n} configuration value${n > 1 ? 's' : ''}`);
  return parts.length ? parts.join(', ') : undefined;
}

/** What the server says is wrong with the running preview, or undefined while all is well. */
export function healthText(h: PreviewHealth | undefined): string | undefined {
  if (!h) return undefined;
  const parts: string[] = [];
  if (h.graph.state === 'restarting') {
    parts.push(`graph restarting${h.graph.failedRestarts ? ` (${h.graph.failedRestarts} failed attempts)` : ''}${h.graph.lastError ? `: ${h.graph.lastError}` : ''}`);
  } else if (h.graph.restarts) parts.push(`graph restarted ${h.graph.restarts}× after operator faults`);
  if (h.source && !h.source.connected) parts.push(`source disconnected, reconnecting${h.source.lastError ? `: ${h.source.lastError}` : ''}`);
  else if (h.source?.reconnects) parts.push(`source reconnected ${h.source.reconnects}×`);
  return parts.length ? parts.join('; ') : undefined;
}

/** Start/stop, pause/resume and clear the live preview of the definition in the editor, on the typed topic filters. */
export function PreviewBar({ previewUrl }: { previewUrl: () => string }) {
  const status = usePreview((s) => s.status);
  const paused = usePreview((s) => s.paused);
  const topics = usePreview((s) => s.topics);
  const problem = usePreview((s) => s.problem);
  const skipped = usePreview((s) => s.skippedWhilePaused);
  const unsent = usePreview((s) => s.unsentSamples);
  const health = healthText(usePreview((s) => s.health));
  const context = usePreview((s) => s.context);
  const hasGraph = useDesigner((s) => !!s.yaml.trim());
  const running = status === 'running' || status === 'starting' || status === 'connecting';
  const preview = usePreview.getState();
  const inContext = contextText(context);
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
      <button
        data-testid="preview-replay"
        disabled={!hasGraph || status === 'idle' || status === 'connecting' || status === 'starting'}
        title={`restart with the YAML as it is now and send the last ${REPLAY_COUNT} source messages through it`}
        onClick={() => preview.start(previewUrl(), useDesigner.getState().yaml, { replay: REPLAY_COUNT })}
      >
        Replay after edit
      </button>
      <span className="muted" data-testid="preview-status">
        {status}
        {paused ? ` (paused${skipped ? `, ${skipped} skipped` : ''})` : ''}
        {unsent ? ` (${unsent} samples not shown: this page fell behind; counts are exact)` : ''}
      </span>
      {inContext && (
        <span className="preview-context muted" data-testid="preview-context">
          with {inContext} <button onClick={() => preview.setContext({})} title="preview without this context">×</button>
        </span>
      )}
      {health && <span className="diag diag-warning" data-testid="preview-health">{health}</span>}
      {problem && <span className="diag diag-error" data-testid="preview-problem">{problem}</span>}
    </div>
  );
}

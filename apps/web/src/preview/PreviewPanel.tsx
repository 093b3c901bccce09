import { useMemo } from 'react';
import { useDesigner } from '../store/designer.ts';
import type { LogLine, MetricValue, OperationError, Sample } from './messages.ts';
import { InjectForm } from './InjectForm.tsx';
import { MessageList } from './MessageList.tsx';
import { edgeEnds, edgeSamples, usePreviewSelection, type EdgeEnds } from './selection.ts';
import { usePreview } from './store.ts';
import './preview.css';

const NO_SAMPLES: Sample[] = [];
const NO_ERRORS: OperationError[] = [];
const NO_LOGS: LogLine[] = [];
const NO_METRICS: MetricValue[] = [];
const time = (at: number) => new Date(at).toLocaleTimeString();

function Errors({ operation }: { operation: string }) {
  const errors = usePreview((s) => s.errors[operation] ?? NO_ERRORS);
  if (!errors.length) return null;
  return (
    <ul className="preview-errors" data-testid="preview-errors">
      {[...errors].reverse().map((e, i) => (
        <li key={`${e.at}-${i}`} className="diag diag-error">{time(e.at)} {e.trap ? 'trap: ' : ''}{e.message}{e.count > 1 ? ` (×${e.count})` : ''}</li>
      ))}
    </ul>
  );
}

function Logs({ operation }: { operation: string }) {
  const logs = usePreview((s) => s.logs[operation] ?? NO_LOGS);
  return (
    <div className="preview-section" data-testid="preview-logs">
      <h5>Logs <span className="muted">({logs.length})</span></h5>
      {logs.length === 0 ? <div className="muted">No log lines.</div> : (
        <ul>
          {[...logs].reverse().map((l, i) => (
            <li key={`${l.time}-${i}`} className={`log-line log-${l.level}`} data-testid="log-line">{time(l.time)} {l.level} {l.context}: {l.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const labelText = (labels: Record<string, string>) => Object.entries(labels).filter(([k]) => k !== 'operation').map(([k, v]) => `${k}=${v}`).join(', ');

function Metrics({ operation }: { operation: string }) {
  const metrics = usePreview((s) => s.metrics[operation] ?? NO_METRICS);
  return (
    <div className="preview-section" data-testid="preview-metrics">
      <h5>Metrics</h5>
      {metrics.length === 0 ? <div className="muted">No metrics yet.</div> : (
        <table className="metrics-table">
          <tbody>
            {metrics.map((m) => (
              <tr key={`${m.name}{${labelText(m.labels)}}`} data-testid="metric" data-name={m.name} data-value={m.value}>
                <td>{m.name}</td>
                <td className="muted">{labelText(m.labels)}</td>
                <td>{m.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RateLine({ operation }: { operation: string }) {
  const c = usePreview((s) => s.counters[operation]);
  const rate = usePreview((s) => s.rates[operation]?.at(-1));
  if (!c) return null;
  return <span className="muted" data-testid="operation-counts">in {c.in}, out {c.out}, dropped {c.dropped}, errors {c.errors}{rate !== undefined ? `, ${rate} msg/s` : ''}</span>;
}

function OperationView({ operation }: { operation: string }) {
  const samples = usePreview((s) => s.samples[operation] ?? NO_SAMPLES);
  return (
    <div data-testid="operation-view" data-operation={operation}>
      <h4>Live samples of {operation} <span className="muted">({samples.length}, newest first)</span> <RateLine operation={operation} /></h4>
      <Errors operation={operation} />
      <MessageList key={operation} samples={samples} />
      <div className="preview-columns">
        <Logs operation={operation} />
        <Metrics operation={operation} />
      </div>
    </div>
  );
}

function EdgeView({ ends }: { ends: EdgeEnds }) {
  const fromSamples = usePreview((s) => s.samples[ends.from] ?? NO_SAMPLES);
  const samples = useMemo(() => edgeSamples(fromSamples, ends), [fromSamples, ends]);
  return (
    <div data-testid="edge-view" data-edge={ends.id}>
      <h4>
        Messages on {ends.from}{ends.arm ? ` (${ends.arm})` : ''} → {ends.to} <span className="muted">({samples.length}, newest first)</span>
      </h4>
      <MessageList key={ends.id} samples={samples} />
    </div>
  );
}

/** While or after a preview ran: the selected operation's or connection's recent messages, logs and metrics, and the inject form. */
export function PreviewPanel() {
  const selected = useDesigner((s) => s.selected);
  const edges = useDesigner((s) => s.edges);
  const edgeId = usePreviewSelection((s) => s.edge);
  const status = usePreview((s) => s.status);
  const ends = useMemo(() => (selected ? undefined : edgeEnds(edges, edgeId)), [selected, edges, edgeId]);
  if (status === 'idle') return null;
  return (
    <div className="preview-panel" data-testid="preview-panel">
      <div className="preview-columns">
        <div className="preview-main">
          {selected ? <OperationView operation={selected} /> : ends ? <EdgeView ends={ends} /> : <div className="muted">Click an operation or a connection to see its messages.</div>}
        </div>
        <InjectForm />
      </div>
    </div>
  );
}

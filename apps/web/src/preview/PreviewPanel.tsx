import { memo } from 'react';
import { useDesigner } from '../store/designer.ts';
import type { Counters, OperationError, Sample } from './messages.ts';
import { renderPayload } from './payload.ts';
import { usePreview } from './store.ts';

const NO_SAMPLES: Sample[] = [];
const NO_ERRORS: OperationError[] = [];
const time = (at: number) => new Date(at).toLocaleTimeString();

const SampleView = memo(function SampleView({ s }: { s: Sample }) {
  return (
    <li className={`sample sample-${s.event}`} data-testid="preview-sample" data-event={s.event} data-encoding={s.item.encoding}>
      <div className="sample-head">
        <span className={`event event-${s.event}`}>{s.event}{s.arm ? ` ${s.arm}` : ''}</span>
        <span className="muted">{time(s.at)}</span>
        {s.item.topic && <code>{s.item.topic}</code>}
        {s.item.truncated && <span className="muted">(cut at {s.item.data.length} of {s.item.size} bytes)</span>}
        {s.reason && <span className="muted">{s.reason}</span>}
      </div>
      <pre data-testid="sample-payload">{renderPayload(s.item)}</pre>
    </li>
  );
});

/** The selected operation's recent samples (newest first) and errors, while or after a preview ran. */
export function PreviewPanel() {
  const selected = useDesigner((s) => s.selected);
  const samples = usePreview((s) => (selected ? s.samples[selected] : undefined) ?? NO_SAMPLES);
  const errors = usePreview((s) => (selected ? s.errors[selected] : undefined) ?? NO_ERRORS);
  const status = usePreview((s) => s.status);
  if (!selected || status === 'idle') return null;
  return (
    <div className="preview-panel" data-testid="preview-panel">
      <h4>Live samples of {selected} <span className="muted">({samples.length}, newest first)</span></h4>
      {errors.length > 0 && (
        <ul className="preview-errors" data-testid="preview-errors">
          {[...errors].reverse().map((e, i) => (
            <li key={`${e.at}-${i}`} className="diag diag-error">{time(e.at)} {e.trap ? 'trap: ' : ''}{e.message}</li>
          ))}
        </ul>
      )}
      {samples.length === 0 ? (
        <div className="muted">No samples yet.</div>
      ) : (
        <ul className="samples">
          {[...samples].reverse().map((s) => <SampleView key={s.seq} s={s} />)}
        </ul>
      )}
    </div>
  );
}

/** A count in at most about five characters: 999, 1.2k, 12k, 3.4M. */
export function compact(n: number): string {
  if (n < 1000) return String(n);
  const [d, unit] = n < 1e6 ? [1e3, 'k'] : n < 1e9 ? [1e6, 'M'] : [1e9, 'G'];
  const v = n / d;
  return `${v < 10 ? Math.floor(v * 10) / 10 : Math.floor(v)}${unit}`;
}

/** The operation's counters while a preview runs (re-renders only when they change). */
export function useLiveCounts(operation: string): Counters | undefined {
  return usePreview((s) => (s.status === 'running' ? s.counters[operation] : undefined));
}

/** In/out/drop/error counts on a node while a preview runs. */
export function LiveCounts({ counters: c }: { counters: Counters }) {
  return (
    <span className="live-counts" data-testid="live-counts" data-in={c.in} data-out={c.out} data-dropped={c.dropped} data-errors={c.errors} title={`in ${c.in}, out ${c.out}, dropped ${c.dropped}, errors ${c.errors}`}>
      <span>in {compact(c.in)}</span>
      <span>out {compact(c.out)}</span>
      <span>drop {compact(c.dropped)}</span>
      <span className={c.errors ? 'live-errors' : undefined}>err {compact(c.errors)}</span>
    </span>
  );
}

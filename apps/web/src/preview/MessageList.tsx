import { memo, useState } from 'react';
import type { Sample } from './messages.ts';
import { PayloadDetail } from './PayloadDetail.tsx';
import { summarizePayload } from './payload.ts';

const time = (at: number) => new Date(at).toLocaleTimeString();

/** One row: what happened, when, and one line of the payload. */
const SampleRow = memo(function SampleRow({ s, chosen, choose }: { s: Sample; chosen: boolean; choose: (seq: number) => void }) {
  return (
    <li className={`sample sample-${s.event}${chosen ? ' chosen' : ''}`} data-testid="preview-sample" data-event={s.event} data-encoding={s.item.encoding} data-seq={s.seq}>
      <div className="sample-row" onClick={() => choose(s.seq)}>
        <span className={`event event-${s.event}`}>{s.event}{s.arm ? ` ${s.arm}` : ''}</span>
        <span className="muted">{time(s.at)}</span>
        {s.item.topic && <span className="muted">{s.item.topic}</span>}
        <code data-testid="sample-payload">{summarizePayload(s.item)}</code>
      </div>
    </li>
  );
});

/**
 * Recent messages, newest first, as one-line rows; the chosen one (the newest
 * until one is clicked) is shown whole below. Only that one is fully rendered.
 */
export function MessageList({ samples }: { samples: readonly Sample[] }) {
  const [chosenSeq, setChosenSeq] = useState<number>();
  if (samples.length === 0) return <div className="muted">No messages yet.</div>;
  const chosen = samples.find((s) => s.seq === chosenSeq) ?? samples[samples.length - 1]!;
  const rows: Sample[] = [];
  for (let i = samples.length - 1; i >= 0; i--) rows.push(samples[i]!);
  return (
    <>
      <ul className="samples">
        {rows.map((s) => <SampleRow key={s.seq} s={s} chosen={s === chosen} choose={setChosenSeq} />)}
      </ul>
      <PayloadDetail sample={chosen} />
    </>
  );
}

import { memo } from 'react';
import type { Counters } from '../preview/messages.ts';
import { compact } from '../preview/PreviewBadge.tsx';

/** A data-flow node's preview counts, one line under its summary, large enough to read at fit view. */
export const NodeLiveCounts = memo(function NodeLiveCounts({ counters: c }: { counters: Counters }) {
  return (
    <div className="df-live" data-testid="df-live-counts" data-in={c.in} data-out={c.out} data-dropped={c.dropped} data-errors={c.errors}
      title={`in ${c.in}, out ${c.out}, dropped ${c.dropped}, errors ${c.errors}`}>
      <span>in {compact(c.in)}</span>
      <span>out {compact(c.out)}</span>
      <span className={c.dropped ? 'df-live-dropped' : undefined}>drop {compact(c.dropped)}</span>
      <span className={c.errors ? 'df-live-errors' : undefined}>err {compact(c.errors)}</span>
    </div>
  );
});

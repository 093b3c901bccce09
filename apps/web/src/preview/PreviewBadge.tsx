import { memo } from 'react';
import type { Counters } from './messages.ts';
import { usePreview } from './store.ts';
import { sparklinePoints } from './throughput.ts';
import './preview.css';

const SPARK_W = 60;
const SPARK_H = 16;
const NO_RATES: number[] = [];

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
export const LiveCounts = memo(function LiveCounts({ counters: c }: { counters: Counters }) {
  return (
    <span className="live-counts" data-testid="live-counts" data-in={c.in} data-out={c.out} data-dropped={c.dropped} data-errors={c.errors} title={`in ${c.in}, out ${c.out}, dropped ${c.dropped}, errors ${c.errors}`}>
      <span>in {compact(c.in)}</span>
      <span>out {compact(c.out)}</span>
      <span>drop {compact(c.dropped)}</span>
      <span className={c.errors ? 'live-errors' : undefined}>err {compact(c.errors)}</span>
    </span>
  );
});

/**
 * Messages per second into the operation over the last half minute. It reads
 * its own history, which keeps its identity while unchanged, so a tick that
 * changes nothing for this operation renders nothing.
 */
export const Sparkline = memo(function Sparkline({ operation }: { operation: string }) {
  const rates = usePreview((s) => s.rates[operation] ?? NO_RATES);
  const now = rates[rates.length - 1] ?? 0;
  return (
    <svg className="sparkline" data-testid="sparkline" data-rate={now} data-points={rates.length} width={SPARK_W} height={SPARK_H} viewBox={`0 0 ${SPARK_W} ${SPARK_H}`}>
      <title>{`${now} msg/s in (last ${rates.length} s)`}</title>
      <polyline points={sparklinePoints(rates, SPARK_W, SPARK_H - 1)} />
    </svg>
  );
});

/** A node's preview badge: exact counts and the throughput sparkline. */
export function PreviewBadge({ operation, counters }: { operation: string; counters: Counters }) {
  return (
    <>
      <LiveCounts counters={counters} />
      <Sparkline operation={operation} />
    </>
  );
}

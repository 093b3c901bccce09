import type { LiveStatus } from '@wgs/api-contract';
import { HealthBadge } from './HealthBadge.tsx';
import { liveView } from './live.ts';

/** What the engine reports for the deployed graph: health, reason, generations, counters. */
export function LiveStatusPanel({ live }: { live: LiveStatus | undefined }) {
  const v = liveView(live);
  return (
    <div className="live-status" data-testid="live-status">
      <div>Health: <HealthBadge live={live} testId="deploy-health" />{v.reason && <span className="muted" data-testid="deploy-reason"> {v.reason}</span>}</div>
      <div className="muted" data-testid="deploy-generation">{v.generations}{live?.pod ? ` · engine ${live.pod}` : ''}</div>
      {v.counters && <div data-testid="deploy-counters">Messages: {v.counters}</div>}
    </div>
  );
}

import type { LiveStatus } from '@wgs/api-contract';
import { liveView } from './live.ts';

/** The engine's health of a deployed graph as a coloured badge (reason and message in its tooltip). */
export function HealthBadge({ live, testId = 'health-badge' }: { live: LiveStatus | undefined; testId?: string }) {
  const v = liveView(live);
  return (
    <span className={`health health-${v.tone}`} data-testid={testId} data-tone={v.tone} title={[v.reason, v.generations].filter(Boolean).join('\n')}>
      {v.label}
    </span>
  );
}

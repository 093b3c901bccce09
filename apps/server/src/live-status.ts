import type { GraphCounters, LiveStatus } from '@wgs/api-contract';
import type { StoredResource } from '@wgs/cluster-store';

interface WrittenStatus {
  healthState?: { status?: string; reasonCode?: string; message?: string; lastUpdateTime?: string } | string;
  provisioningState?: string;
  observedGeneration?: number;
  artifactDigest?: string;
  counters?: Partial<GraphCounters>;
  engine?: { pod?: string };
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/**
 * What the designer shows of a deployed graph: the engine's health (or, from
 * other controllers, a plain healthState string or the provisioningState),
 * whether it has seen the current generation, and its counters.
 */
export function liveStatusOf(r: StoredResource): LiveStatus {
  const s = (r.status ?? {}) as WrittenStatus;
  const h = typeof s.healthState === 'object' && s.healthState ? s.healthState : undefined;
  const generation = r.metadata.generation;
  const observedGeneration = typeof s.observedGeneration === 'number' ? s.observedGeneration : undefined;
  return {
    health: typeof s.healthState === 'string' ? s.healthState : h?.status ?? s.provisioningState,
    reasonCode: h?.reasonCode,
    message: h?.message,
    lastUpdateTime: h?.lastUpdateTime,
    generation,
    observedGeneration,
    caughtUp: observedGeneration !== undefined && (generation === undefined || observedGeneration >= generation),
    counters: s.counters ? { messagesIn: count(s.counters.messagesIn), messagesOut: count(s.counters.messagesOut), dropped: count(s.counters.dropped), errors: count(s.counters.errors) } : undefined,
    artifactDigest: s.artifactDigest,
    pod: s.engine?.pod,
  };
}

import type { GraphCounters, LiveStatus } from '@wgs/api-contract';

/** How a deployed graph's health is drawn: the engine's four states, or waiting for it. */
export type HealthTone = 'available' | 'degraded' | 'unavailable' | 'unknown' | 'waiting';

export interface LiveView {
  tone: HealthTone;
  /** e.g. "Available", "waiting for the engine". */
  label: string;
  /** reason code and message, e.g. "Running: 1 source, …". */
  reason?: string;
  /** e.g. "generation 3, engine at 2 (waiting for the engine)". */
  generations: string;
  counters?: string;
}

const TONES: Record<string, HealthTone> = { Available: 'available', Degraded: 'degraded', Unavailable: 'unavailable', Unknown: 'unknown' };

/** "in 1,234 · out 1,200 · errors 0 · dropped 0" */
export function countersText(c: GraphCounters): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return `in ${n(c.messagesIn)} · out ${n(c.messagesOut)} · errors ${n(c.errors)} · dropped ${n(c.dropped)}`;
}

/**
 * What the designer says about a deployed graph. Until the engine has
 * observed the current generation, its health describes an older spec (or
 * nothing), so the graph is "waiting for the engine".
 */
export function liveView(live: LiveStatus | undefined): LiveView {
  if (!live) return { tone: 'waiting', label: 'not deployed', generations: 'not in the cluster' };
  const gen = live.generation ?? '?';
  const generations = live.observedGeneration === undefined
    ? `generation ${gen}, not observed by an engine yet (waiting for the engine)`
    : live.caughtUp
      ? `generation ${gen}, observed by the engine`
      : `generation ${gen}, engine at ${live.observedGeneration} (waiting for the engine)`;
  const reason = live.reasonCode || live.message ? [live.reasonCode, live.message].filter(Boolean).join(': ') : undefined;
  const counters = live.counters ? countersText(live.counters) : undefined;
  if (!live.caughtUp || !live.health) return { tone: 'waiting', label: 'waiting for the engine', reason: live.caughtUp ? reason : undefined, generations, counters };
  return { tone: TONES[live.health] ?? 'unknown', label: live.health, reason, generations, counters };
}

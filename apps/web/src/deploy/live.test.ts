import { describe, expect, it } from 'vitest';
import { countersText, liveView } from './live.ts';

const counters = { messagesIn: 1234, messagesOut: 1200, dropped: 3, errors: 1 };

describe('live status of a deployed graph', () => {
  it('shows the engine\'s health with reason, message and counters once it has seen the current generation', () => {
    expect(liveView({ health: 'Available', reasonCode: 'Running', message: 'pulled sha256:ab', generation: 2, observedGeneration: 2, caughtUp: true, counters })).toEqual({
      tone: 'available', label: 'Available', reason: 'Running: pulled sha256:ab', generations: 'generation 2, observed by the engine', counters: 'in 1,234 · out 1,200 · errors 1 · dropped 3',
    });
    expect(liveView({ health: 'Unavailable', reasonCode: 'ArtifactNotFound', generation: 1, observedGeneration: 1, caughtUp: true }))
      .toMatchObject({ tone: 'unavailable', label: 'Unavailable', reason: 'ArtifactNotFound' });
    expect(liveView({ health: 'Succeeded', generation: 1, observedGeneration: 1, caughtUp: true }).tone).toBe('unknown');
  });

  it('waits for the engine while the observed generation is absent or behind, without showing the old reason', () => {
    expect(liveView({ generation: 1, caughtUp: false })).toEqual({ tone: 'waiting', label: 'waiting for the engine', generations: 'generation 1, not observed by an engine yet (waiting for the engine)' });
    const behind = liveView({ health: 'Available', reasonCode: 'Running', generation: 3, observedGeneration: 2, caughtUp: false, counters });
    expect(behind).toMatchObject({ tone: 'waiting', label: 'waiting for the engine', generations: 'generation 3, engine at 2 (waiting for the engine)' });
    expect(behind.reason).toBeUndefined();
    expect(behind.counters).toBe(countersText(counters));
  });

  it('says when the graph is not in the cluster', () => {
    expect(liveView(undefined)).toMatchObject({ tone: 'waiting', label: 'not deployed' });
  });
});

import { describe, expect, it } from 'vitest';
import { readServerMessage } from './messages.ts';
import { healthText } from './PreviewBar.tsx';
import { applyUpdates } from './store.ts';

const update = (health?: unknown) => JSON.stringify({ type: 'update', counters: {}, samples: [], errors: [], logs: [], skippedWhilePaused: 0, paused: false, ...(health ? { health } : {}) });

describe('preview health', () => {
  it('reads the graph and source state from an update, and ignores a malformed one', () => {
    const read = readServerMessage(update({ graph: { state: 'restarting', restarts: 2, failedRestarts: 1, lastError: 'restart failed: gone' }, source: { connected: false, disconnects: 1, reconnects: 0 } }));
    expect('message' in read && read.message.type === 'update' && read.message.health).toEqual({
      graph: { state: 'restarting', restarts: 2, failedRestarts: 1, lastError: 'restart failed: gone' },
      source: { connected: false, disconnects: 1, reconnects: 0 },
    });
    const bad = readServerMessage(update({ graph: { state: 'exploded', restarts: 1, failedRestarts: 0 } }));
    expect('message' in bad && bad.message.type === 'update' && bad.message.health).toBeUndefined();
  });

  it('says what is wrong, and nothing while all is well', () => {
    expect(healthText(undefined)).toBeUndefined();
    expect(healthText({ graph: { state: 'running', restarts: 0, failedRestarts: 0 }, source: { connected: true, disconnects: 0, reconnects: 0 } })).toBeUndefined();
    expect(healthText({ graph: { state: 'restarting', restarts: 1, failedRestarts: 3, lastError: 'restart failed: module not found' } }))
      .toBe('graph restarting (3 failed attempts): restart failed: module not found');
    expect(healthText({ graph: { state: 'running', restarts: 4, failedRestarts: 0 }, source: { connected: false, disconnects: 1, reconnects: 0, lastError: 'connect ECONNREFUSED' } }))
      .toBe('graph restarted 4× after operator faults; source disconnected, reconnecting: connect ECONNREFUSED');
  });

  it('keeps the newest health of a batch of updates', () => {
    const parsed = [update({ graph: { state: 'restarting', restarts: 1, failedRestarts: 0 } }), update(), update({ graph: { state: 'running', restarts: 1, failedRestarts: 0 } })]
      .map((u) => readServerMessage(u))
      .map((r) => ('message' in r && r.message.type === 'update' ? r.message : undefined)!);
    const applied = applyUpdates({ counters: {}, samples: {}, errors: {} }, parsed);
    expect(applied?.health?.graph.state).toBe('running');
  });
});

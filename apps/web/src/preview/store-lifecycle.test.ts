/** The preview across graphs and time: a new graph starts clean, a visible page keeps its session alive. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPreviewStore, type SocketLike } from './store.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: { type: string }[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

describe('preview lifecycle', () => {
  let socket: FakeSocket;
  let visible: boolean;
  let store: ReturnType<typeof createPreviewStore>;
  const run = () => {
    store.getState().start('ws://h/api/preview', 'graph: yaml');
    socket.readyState = 1;
    socket.onopen?.({});
    socket.onmessage?.({ data: JSON.stringify({ type: 'started', operations: ['source', 'map', 'sink'] }) });
  };

  beforeEach(() => {
    vi.useFakeTimers();
    visible = true;
    socket = new FakeSocket();
    store = createPreviewStore({ socket: () => socket, isVisible: () => visible });
  });
  afterEach(() => vi.useRealTimers());

  it('forgets the samples of the graph before and takes the new context or the default topics', () => {
    store.getState().setDefaults({ topics: ['sensor/temperature/raw', 'sensor/images/raw'] });
    expect(store.getState().topics).toBe('sensor/temperature/raw, sensor/images/raw');
    run();
    socket.onmessage?.({ data: JSON.stringify({ type: 'update', counters: { map: { in: 1, out: 1, dropped: 0, errors: 0 } }, samples: [{ operation: 'map', event: 'out', at: 1, item: { kind: 'message', timestamp: 'x', encoding: 'json', data: '{}', size: 2, truncated: false } }], errors: [], logs: [], skippedWhilePaused: 0, paused: false }) });
    store.getState().flush();
    expect(store.getState().samples.map).toHaveLength(1);

    store.getState().reset({ topics: ['plant/+/raw'], endpoint: 'plant' });
    expect(store.getState()).toMatchObject({ status: 'idle', samples: {}, counters: {}, topics: 'plant/+/raw', context: { endpoint: 'plant' } });
    expect(socket.sent.at(-1)).toEqual({ type: 'stop' });
    store.getState().reset();
    expect(store.getState().topics).toBe('sensor/temperature/raw, sensor/images/raw');
  });

  it('keeps typed topics when the defaults arrive', () => {
    store.getState().setTopics('factory/#');
    store.getState().setDefaults({ topics: ['sensor/temperature/raw'] });
    expect(store.getState().topics).toBe('factory/#');
  });

  it('pings while running and visible, not while hidden, and stops pinging when stopped', () => {
    store.getState().setDefaults({ keepAliveMs: 1000 });
    run();
    const pings = () => socket.sent.filter((m) => m.type === 'ping').length;
    vi.advanceTimersByTime(3000);
    expect(pings()).toBe(3);
    visible = false;
    vi.advanceTimersByTime(3000);
    expect(pings()).toBe(3);
    visible = true;
    vi.advanceTimersByTime(1000);
    expect(pings()).toBe(4);
    store.getState().stop();
    vi.advanceTimersByTime(5000);
    expect(pings()).toBe(4);
  });
});

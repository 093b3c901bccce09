import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyUpdates, createPreviewStore, parseTopics, SAMPLE_LIMIT, type SocketLike } from './store.ts';
import { readServerMessage } from './messages.ts';
import { base64ToHex, renderPayload } from './payload.ts';
import { compact } from './PreviewPanel.tsx';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  deliver(m: unknown) {
    this.onmessage?.({ data: typeof m === 'string' ? m : JSON.stringify(m) });
  }
}

const sample = (operation: string, n: number, event: 'in' | 'out' | 'drop' = 'out') => ({
  operation,
  event,
  at: 1000 + n,
  item: { kind: 'message', timestamp: 'x', encoding: 'json', data: JSON.stringify({ n }), size: 10, truncated: false, topic: 't' },
});
const counters = (n: number) => ({ in: n, out: n, dropped: 0, errors: 0 });
const update = (o: { counters?: Record<string, unknown>; samples?: unknown[]; errors?: unknown[]; paused?: boolean } = {}) => ({
  type: 'update', counters: o.counters ?? {}, samples: o.samples ?? [], errors: o.errors ?? [], logs: [], skippedWhilePaused: 0, paused: o.paused ?? false,
});

describe('preview store', () => {
  let sockets: FakeSocket[];
  let store: ReturnType<typeof createPreviewStore>;
  const started = () => {
    store.getState().start('ws://h/api/preview?token=t', 'graph: yaml');
    const s = sockets[0]!;
    s.open();
    s.deliver({ type: 'started', operations: ['source', 'map', 'sink'] });
    return s;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    store = createPreviewStore({ socket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; }, flushMs: 100 });
  });
  afterEach(() => vi.useRealTimers());

  it('connects on start, sends the graph and the topic filters, and runs once the server says started', () => {
    store.getState().setTopics('sensor/temperature/raw, sensor/humidity/#');
    store.getState().start('ws://h/api/preview?token=t', 'graph: yaml');
    expect(store.getState().status).toBe('connecting');
    const s = sockets[0]!;
    expect(s.url).toBe('ws://h/api/preview?token=t');
    s.open();
    expect(s.sent).toEqual([{ type: 'start', graph: 'graph: yaml', sources: ['sensor/temperature/raw', 'sensor/humidity/#'] }]);
    expect(store.getState().status).toBe('starting');
    s.deliver({ type: 'started', operations: ['source', 'map', 'sink'] });
    expect(store.getState()).toMatchObject({ status: 'running', operations: ['source', 'map', 'sink'] });
  });

  it('applies counters from updates, at most once per flush interval, the newest totals winning', () => {
    const s = started();
    s.deliver(update({ counters: { map: counters(1) }, samples: [sample('map', 1)] }));
    s.deliver(update({ counters: { map: counters(3) }, samples: [sample('map', 2)] }));
    // Not applied yet: one render per interval.
    expect(store.getState().counters).toEqual({});
    vi.advanceTimersByTime(100);
    expect(store.getState().counters.map).toEqual(counters(3));
    expect(store.getState().samples.map!.map((x) => x.at)).toEqual([1001, 1002]);
    // Unchanged counters keep their identity (the node does not re-render).
    const before = store.getState().counters.map;
    s.deliver(update({ counters: { map: counters(3) }, samples: [sample('map', 3)] }));
    vi.advanceTimersByTime(100);
    expect(store.getState().counters.map).toBe(before);
  });

  it('keeps at most the last 50 samples and 50 errors per operation', () => {
    const s = started();
    for (let batch = 0; batch < 10; batch++) {
      s.deliver(update({
        counters: { map: counters(batch * 20) },
        samples: Array.from({ length: 20 }, (_, i) => sample('map', batch * 20 + i)),
        errors: Array.from({ length: 20 }, (_, i) => ({ operation: 'map', message: `e${batch * 20 + i}`, trap: false, at: 1 })),
      }));
      vi.advanceTimersByTime(100);
    }
    const st = store.getState();
    expect(st.samples.map).toHaveLength(SAMPLE_LIMIT);
    expect(st.samples.map![0]!.at).toBe(1000 + 150);
    expect(st.samples.map![49]!.at).toBe(1000 + 199);
    expect(st.errors.map).toHaveLength(50);
    expect(st.errors.map![49]!.message).toBe('e199');
  });

  it('applyUpdates is bounded for one large batch too', () => {
    const read = readServerMessage(JSON.stringify(update({ samples: Array.from({ length: 500 }, (_, i) => sample('a', i)) })));
    if (!('message' in read) || read.message.type !== 'update') throw new Error('expected an update');
    const next = applyUpdates({ counters: {}, samples: {}, errors: {} }, [read.message], { samples: 5, errors: 5 });
    expect(next!.samples.a!.map((x) => x.at)).toEqual([1495, 1496, 1497, 1498, 1499]);
  });

  it('bad server messages are reported, skipped, and do not break the session', () => {
    const s = started();
    s.deliver('not json {');
    expect(store.getState().problem).toMatch(/not JSON/);
    s.deliver({ nope: true });
    expect(store.getState().problem).toMatch(/without a type/);
    s.deliver({ type: 'update', counters: 'x', samples: [] });
    expect(store.getState().problem).toMatch(/without counters/);
    // Malformed samples and counters inside an otherwise good update are dropped.
    s.deliver(update({ counters: { map: counters(2), bad: { in: 'x' } }, samples: [sample('map', 1), { operation: 'map', event: 'sideways', item: {} }, null] }));
    vi.advanceTimersByTime(100);
    expect(store.getState().status).toBe('running');
    expect(Object.keys(store.getState().counters)).toEqual(['map']);
    expect(store.getState().samples.map).toHaveLength(1);
    // A server error (e.g. a bad command) is shown; the session stays.
    s.deliver({ type: 'error', code: 'bad-request', message: 'not a preview command' });
    expect(store.getState()).toMatchObject({ status: 'running', problem: 'bad-request: not a preview command' });
  });

  it('an invalid graph at start stops the attempt with the server message', () => {
    store.getState().start('ws://h', 'x');
    sockets[0]!.open();
    sockets[0]!.deliver({ type: 'error', code: 'invalid-graph', message: 'the graph definition is not valid' });
    expect(store.getState()).toMatchObject({ status: 'stopped', problem: 'invalid-graph: the graph definition is not valid' });
  });

  it('pause, resume, clear and stop send commands; clear forgets counts and samples; a lost connection stops', () => {
    const s = started();
    s.deliver(update({ counters: { map: counters(4) }, samples: [sample('map', 1)] }));
    vi.advanceTimersByTime(100);
    store.getState().pause();
    expect(store.getState().paused).toBe(true);
    store.getState().resume();
    store.getState().clear();
    expect(store.getState().counters).toEqual({});
    expect(store.getState().samples).toEqual({});
    store.getState().stop();
    expect(s.sent.slice(1)).toEqual([{ type: 'pause' }, { type: 'resume' }, { type: 'clear' }, { type: 'stop' }]);
    expect(store.getState().status).toBe('stopped');
    // Updates after a stop are ignored; a second start reuses the open socket.
    s.deliver(update({ counters: { map: counters(9) } }));
    vi.advanceTimersByTime(100);
    expect(store.getState().counters).toEqual({});
    store.getState().start('ws://h', 'g2');
    expect(sockets).toHaveLength(1);
    expect(s.sent.at(-1)).toMatchObject({ type: 'start', graph: 'g2' });
    s.close();
    expect(store.getState()).toMatchObject({ status: 'stopped', problem: 'the preview connection closed' });
  });

  it('a stop before the server started it sends nothing while connecting, and stops a late start', () => {
    store.getState().start('ws://h', 'g');
    store.getState().stop();
    const s = sockets[0]!;
    s.open();
    expect(s.sent).toEqual([]);
    store.getState().start('ws://h', 'g');
    expect(s.sent).toEqual([{ type: 'start', graph: 'g', sources: ['sensor/#'] }]);
    store.getState().stop();
    s.deliver({ type: 'started', operations: ['a'] });
    expect(store.getState().status).toBe('stopped');
    expect(s.sent.slice(1)).toEqual([{ type: 'stop' }, { type: 'stop' }]);
  });

  it('refuses to start without topic filters', () => {
    store.getState().setTopics(' , ');
    store.getState().start('ws://h', 'g');
    expect(sockets).toHaveLength(0);
    expect(store.getState().problem).toMatch(/topic filter/);
  });
});

describe('preview helpers', () => {
  it('shortens large counts for the node badges', () => {
    expect([0, 999, 1000, 1234, 12_345, 999_999, 3_456_789].map(compact)).toEqual(['0', '999', '1k', '1.2k', '12k', '999k', '3.4M']);
  });

  it('splits topic filters on commas and spaces', () => {
    expect(parseTopics('a/b, c/#  d')).toEqual(['a/b', 'c/#', 'd']);
  });

  it('renders payloads: pretty JSON, text, hex', () => {
    expect(renderPayload({ encoding: 'json', data: '{"a":{"unit":"C"}}' })).toBe('{\n  "a": {\n    "unit": "C"\n  }\n}');
    expect(renderPayload({ encoding: 'text', data: 'hello' })).toBe('hello');
    expect(renderPayload({ encoding: 'base64', data: btoa('\x00\x01\xffAB') })).toBe('00 01 ff 41 42');
    expect(base64ToHex(btoa('x'.repeat(17)))).toBe(`${'78 '.repeat(15)}78\n78`);
  });
});

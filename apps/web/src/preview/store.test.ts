import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyUpdates, createPreviewStore, parseTopics, SAMPLE_LIMIT, type SocketLike } from './store.ts';
import { readServerMessage } from './messages.ts';
import { base64ToBytes, base64ToHex, isRgb24Frame, renderPayload, rgb24ToRgba, summarizePayload } from './payload.ts';
import { compact } from './PreviewBadge.tsx';

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

  it('shows aggregated error counts, the samples the server could not send, and why the server closed', () => {
    const s = started();
    s.deliver({ ...update({ counters: { map: { in: 5, out: 0, dropped: 0, errors: 5 } }, errors: [{ operation: 'map', message: 'boom', trap: false, at: 1, count: 5 }] }), unsent: { samples: 7, logs: 0, errors: 0 } });
    store.getState().flush();
    expect(store.getState().errors.map).toEqual([expect.objectContaining({ message: 'boom', count: 5 })]);
    expect(store.getState().unsentSamples).toBe(7);
    s.onclose?.({ code: 1013, reason: 'too many preview connections (at most 2); try again later' });
    expect(store.getState().problem).toBe('the preview connection closed: too many preview connections (at most 2); try again later');
  });

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

  it('starts with options, else the context: configuration, endpoint, topics, replay', () => {
    store.getState().setContext({ configuration: { key1: 'v1' }, endpoint: 'plant-broker', topics: ['factory/a', 'factory/b'] });
    expect(store.getState().topics).toBe('factory/a, factory/b');
    store.getState().start('ws://h', 'g1');
    const s = sockets[0]!;
    s.open();
    expect(s.sent[0]).toEqual({ type: 'start', graph: 'g1', sources: ['factory/a', 'factory/b'], configuration: { key1: 'v1' }, endpoint: 'plant-broker' });
    s.deliver({ type: 'started', operations: ['source'] });
    // "Replay after edit": the same socket, the edited graph, the recent source messages.
    store.getState().start('ws://h', 'g2', { replay: 200, sources: ['x/y'], configuration: {}, endpoint: 'other' });
    expect(s.sent[1]).toEqual({ type: 'start', graph: 'g2', sources: ['x/y'], endpoint: 'other', replay: 200 });
    store.getState().setContext({});
    store.getState().start('ws://h', 'g3');
    expect(s.sent[2]).toEqual({ type: 'start', graph: 'g3', sources: ['factory/a', 'factory/b'] });
  });

  it('keeps a msg/s history per operation from the exact counters, one point a second; unchanged histories keep their identity', () => {
    const s = started();
    s.deliver(update({ counters: { map: counters(0), sink: counters(0) } }));
    vi.advanceTimersByTime(1000);
    expect(store.getState().rates).toEqual({ map: [0], sink: [0] });
    s.deliver(update({ counters: { map: counters(500), sink: counters(0) } }));
    vi.advanceTimersByTime(1000);
    const after = store.getState().rates;
    expect(after.map).toEqual([0, 500]);
    expect(after.sink).toEqual([0, 0]);
    s.deliver(update({ counters: { map: counters(2500), sink: counters(0) } }));
    vi.advanceTimersByTime(1000);
    expect(store.getState().rates.map).toEqual([0, 500, 2000]);
    // sink: [0, 0] slid to [0, 0, 0] is a change in length; later ticks at full length do not re-create it.
    for (let i = 0; i < 40; i++) vi.advanceTimersByTime(1000);
    const full = store.getState().rates.sink!;
    expect(full).toHaveLength(30);
    vi.advanceTimersByTime(1000);
    expect(store.getState().rates.sink).toBe(full);
    store.getState().stop();
    const stopped = store.getState().rates;
    vi.advanceTimersByTime(5000);
    expect(store.getState().rates).toBe(stopped);
  });

  it('keeps operator logs and metrics per operation', () => {
    const s = started();
    const log = (operation: string, message: string) => ({ level: 'info', operation, context: 'ctx', message, time: 5 });
    s.deliver({ ...update(), logs: [log('map', 'configuration key1=v'), log('sink', 'x')] });
    s.deliver({ ...update(), logs: [log('map', 'second')], metrics: [
      { name: 'requests', labels: { operation: 'map', unit: 'Fahrenheit' }, value: 3 },
      { name: 'requests', labels: { operation: 'filter' }, value: 1 },
      { name: 'unlabelled', labels: {}, value: 1 },
    ] });
    vi.advanceTimersByTime(100);
    const st = store.getState();
    expect(st.logs.map!.map((l) => l.message)).toEqual(['configuration key1=v', 'second']);
    expect(st.logs.sink).toHaveLength(1);
    expect(st.metrics.map).toEqual([{ name: 'requests', labels: { operation: 'map', unit: 'Fahrenheit' }, value: 3 }]);
    expect(Object.keys(st.metrics).sort()).toEqual(['filter', 'map']);
    // An update without metrics keeps them; one with the same values keeps the arrays.
    const before = st.metrics.map;
    s.deliver({ ...update(), metrics: [{ name: 'requests', labels: { operation: 'map', unit: 'Fahrenheit' }, value: 3 }] });
    vi.advanceTimersByTime(100);
    expect(store.getState().metrics.map).toBe(before);
    expect(store.getState().metrics.filter).toBeUndefined();
  });

  it('injects with an id and shows what became of it: sent, refused by the server, or not running', () => {
    store.getState().inject({ topic: 't', payload: 'x' });
    expect(store.getState().injection).toMatchObject({ status: 'failed', problem: expect.stringMatching(/not running/) });
    const s = started();
    store.getState().inject({ topic: 'sensor/temperature/raw', payload: '{}', userProperties: [['k', 'v']] });
    const sent = s.sent.at(-1) as { type: string; id: string; message: unknown };
    expect(sent).toMatchObject({ type: 'inject', message: { topic: 'sensor/temperature/raw', payload: '{}', userProperties: [['k', 'v']] } });
    expect(store.getState().injection).toEqual({ id: sent.id, status: 'sending' });
    s.deliver({ type: 'injected', id: sent.id });
    expect(store.getState().injection).toEqual({ id: sent.id, status: 'sent' });
    store.getState().inject({ topic: 't', payload: 'big' });
    const second = (s.sent.at(-1) as { id: string }).id;
    // An answer to an older injection does not change the newer one.
    s.deliver({ type: 'error', code: 'payload-too-large', message: 'old', id: sent.id });
    expect(store.getState().injection).toEqual({ id: second, status: 'sending' });
    s.deliver({ type: 'error', code: 'payload-too-large', message: 'injected message is 300000 bytes; the limit is 262144', id: second });
    expect(store.getState().injection).toMatchObject({ status: 'failed', problem: 'payload-too-large: injected message is 300000 bytes; the limit is 262144' });
    // The session itself is fine.
    expect(store.getState()).toMatchObject({ status: 'running', problem: undefined });
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
    expect(base64ToHex(btoa('x'.repeat(40)), 16)).toBe(`${'78 '.repeat(15)}78\n… 24 more bytes`);
  });

  it('summarizes payloads in one line and turns rgb24 frames into RGBA pixels', () => {
    expect(summarizePayload({ encoding: 'json', data: '{"a":1}' })).toBe('{"a":1}');
    expect(summarizePayload({ encoding: 'text', data: 'y'.repeat(200) }, 10)).toBe(`${'y'.repeat(10)}…`);
    expect(summarizePayload({ encoding: 'base64', data: btoa('\x00\x01'), size: 2 })).toBe('2 bytes binary');
    const frame = { kind: 'snapshot' as const, format: 'rgb24', width: 2, height: 1, encoding: 'base64' as const, data: btoa('\x01\x02\x03\x04\x05\x06'), size: 6 };
    expect(isRgb24Frame(frame)).toBe(true);
    expect(isRgb24Frame({ ...frame, truncated: true })).toBe(false);
    expect(summarizePayload(frame)).toBe('rgb24 frame 2×1 (6 bytes)');
    expect([...rgb24ToRgba(base64ToBytes(frame.data)!, 2, 1)!]).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(rgb24ToRgba(new Uint8Array(5), 2, 1)).toBeUndefined();
  });

  it('reads snapshot metadata, logs and metrics from updates, and skips malformed ones', () => {
    const read = readServerMessage(JSON.stringify({
      ...update({ samples: [{ operation: 'format', event: 'out', at: 1, item: { kind: 'snapshot', format: 'rgb24', width: 224, height: 224, encoding: 'base64', data: 'AAAA', size: 3, truncated: false, timestamp: 't' } }] }),
      logs: [{ level: 'warn', operation: 'm', context: 'c', message: 'hi', time: 1 }, { operation: 3 }],
      metrics: [{ name: 'requests', labels: { operation: 'm' }, value: 2 }, { name: 'x' }],
    }));
    if (!('message' in read) || read.message.type !== 'update') throw new Error('expected an update');
    expect(read.message.samples[0]!.item).toMatchObject({ kind: 'snapshot', format: 'rgb24', width: 224, height: 224 });
    expect(read.message.logs).toEqual([{ level: 'warn', operation: 'm', context: 'c', message: 'hi', time: 1 }]);
    expect(read.message.metrics).toEqual([{ name: 'requests', labels: { operation: 'm' }, value: 2 }]);
    expect(readServerMessage(JSON.stringify({ type: 'injected', id: 'i3' }))).toEqual({ message: { type: 'injected', id: 'i3' } });
  });
});

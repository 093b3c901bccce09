import { hlcFromMillis, HybridClock, type Hlc } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8, type Item } from '../data-model.ts';
import { itemTopic, sinkMessage, sourceItem, TS_PROPERTY } from './messages.ts';

const CLOCK_MS = 1_700_000_000_123;
const clock = () => new HybridClock('host-node', () => CLOCK_MS);

function message(userProperties: [string, string][], extra: Partial<ConnectorMessage> = {}): ConnectorMessage {
  return { topic: 'sensors/temp', payload: utf8('{"temperature":{"value":85,"unit":"F"}}'), userProperties, contentType: 'application/json', ...extra };
}

const hlc = (secs: bigint, nanos: number, counter: bigint, nodeId: string): Hlc => ({ secs, nanos, counter, nodeId });

describe('sourceItem', () => {
  it('takes the timestamp from a padded __ts and strips it from the user properties', () => {
    const item = sourceItem(message([['a', '1'], ['__ts', '001758255553528:00007:node-1'], ['b', '2']]), clock());
    expect(item.kind).toBe('message');
    expect(item.timestamp).toEqual(hlc(1_758_255_553n, 528_000_000, 7n, 'node-1'));
    if (item.kind !== 'message') throw new Error('unreachable');
    expect(item.userProperties).toEqual([['a', '1'], ['b', '2']]);
  });

  it('accepts the unpadded form the docs publish ($(date +%s)000:0:df)', () => {
    const item = sourceItem(message([['__ts', '1758255553000:0:df']]), clock());
    expect(item.timestamp).toEqual(hlc(1_758_255_553n, 0, 0n, 'df'));
    expect(item.kind === 'message' && item.userProperties).toEqual([]);
  });

  it('carries topic, payload and content type into the item', () => {
    const m = message([['__ts', '1000:0:x']]);
    const item = sourceItem(m, clock());
    if (item.kind !== 'message') throw new Error('expected a message item');
    expect(fromUtf8(item.topic)).toBe('sensors/temp');
    expect(item.payload).toEqual(m.payload);
    expect(item.contentType).toBe('application/json');
    expect(itemTopic(item)).toBe('sensors/temp');
  });

  it.each([
    ['garbage'],
    ['1758255553000:0'],
    ['1758255553000:0:df:extra'],
    ['-5:0:df'],
    ['1.5e12:0:df'],
    ['1758255553000:x:df'],
    ['99999999999999999999:0:df'], // above u64
  ])('an invalid __ts (%s) falls back to the clock and keeps the property', (ts) => {
    const item = sourceItem(message([['__ts', ts], ['k', 'v']]), clock());
    expect(item.timestamp).toEqual(hlcFromMillis(CLOCK_MS, 0n, 'host-node'));
    expect(item.kind === 'message' && item.userProperties).toEqual([['__ts', ts], ['k', 'v']]);
  });

  it('without __ts each message gets a fresh, increasing clock timestamp', () => {
    const c = clock();
    const a = sourceItem(message([]), c);
    const b = sourceItem(message([]), c);
    expect(a.timestamp).toEqual(hlcFromMillis(CLOCK_MS, 0n, 'host-node'));
    expect(b.timestamp).toEqual(hlcFromMillis(CLOCK_MS, 1n, 'host-node'));
  });
});

describe('sinkMessage', () => {
  const ts = hlc(1_758_255_553n, 528_999_999, 7n, 'node-1');

  it('publishes to the destination topic, not the topic the item carries', () => {
    const item: Item = { kind: 'message', timestamp: ts, topic: utf8('sensors'), payload: utf8('{"x":1}'), userProperties: [], contentType: 'application/json' };
    const out = sinkMessage(item, 'factory/out');
    expect(out.topic).toBe('factory/out');
    expect(fromUtf8(out.payload)).toBe('{"x":1}');
    expect(out.contentType).toBe('application/json');
  });

  it('adds __ts in the reference format (15-digit ms, 5-digit counter) after the user properties', () => {
    const item: Item = { kind: 'message', timestamp: ts, topic: utf8('t'), payload: utf8('p'), userProperties: [['a', '1'], ['b', '2']] };
    const out = sinkMessage(item, 'out');
    expect(out.userProperties).toEqual([['a', '1'], ['b', '2'], ['__ts', '001758255553528:00007:node-1']]);
  });

  it('replaces a stale __ts property instead of publishing two', () => {
    const item: Item = { kind: 'message', timestamp: ts, topic: utf8('t'), payload: utf8('p'), userProperties: [['__ts', '000000000001000:00000:old'], ['a', '1']] };
    const out = sinkMessage(item, 'out');
    expect(out.userProperties.filter(([k]) => k === TS_PROPERTY)).toEqual([['__ts', '001758255553528:00007:node-1']]);
    expect(out.userProperties).toContainEqual(['a', '1']);
    // The item itself is not modified.
    expect(item.userProperties).toEqual([['__ts', '000000000001000:00000:old'], ['a', '1']]);
  });

  it('round-trips: a published __ts read back by sourceItem gives the same time and counter', () => {
    const item: Item = { kind: 'message', timestamp: hlc(20n, 0, 3n, 'n'), topic: utf8('t'), payload: utf8('p'), userProperties: [] };
    const back = sourceItem(sinkMessage(item, 'out'), clock());
    expect(back.timestamp).toEqual(hlc(20n, 0, 3n, 'n'));
  });

  it('maps a snapshot to its frame with an image content type and no user properties but __ts', () => {
    const frame = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const item: Item = { kind: 'snapshot', timestamp: ts, format: 'rgb24', width: 2, height: 1, frame };
    const out = sinkMessage(item, 'images');
    expect(out.topic).toBe('images');
    expect(out.payload).toEqual(frame);
    expect(out.contentType).toBe('image/x-rgb24');
    expect(out.userProperties).toEqual([['__ts', '001758255553528:00007:node-1']]);
    expect(itemTopic(item)).toBeUndefined();
  });

  it('maps a bytes item to its bytes, without content type', () => {
    const item: Item = { kind: 'bytes', timestamp: ts, bytes: new Uint8Array([9, 8, 7]) };
    const out = sinkMessage(item, 'raw');
    expect(out.payload).toEqual(new Uint8Array([9, 8, 7]));
    expect(out.contentType).toBeUndefined();
    expect(out.userProperties).toEqual([['__ts', '001758255553528:00007:node-1']]);
  });
});

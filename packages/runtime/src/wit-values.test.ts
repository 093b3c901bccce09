import { hlcFromMillis, type Hlc } from '@wgs/graph-model';
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8, type Item, type MessageItem } from './data-model.ts';
import { HostBuffer } from './host/buffer.ts';
import { hlcFromWit, hlcToWit, itemFromWit, itemToWit, type PayloadPassing, type WitDataModel } from './wit-values.ts';

const ts: Hlc = { secs: 1_758_255_553n, nanos: 528_000_000, counter: 4n, nodeId: 'node-a' };
const other: Hlc = hlcFromMillis(5_000, 0n, 'carried');

const baseMessage: MessageItem = {
  kind: 'message',
  timestamp: ts,
  topic: utf8('sensors/temp'),
  payload: utf8('{"temperature":{"value":85,"unit":"F"}}'),
  userProperties: [['test_property_key', 'x'], ['otel/factoryId', 'factoryA']],
};

const items: [string, Item][] = [
  ['a plain message', baseMessage],
  ['a message with content type', { ...baseMessage, contentType: 'application/json' }],
  ['a message with a registry-reference schema', { ...baseMessage, schema: { registryReference: 'aio-sr://ns/temp:1' } }],
  ['a message with an inline schema', { ...baseMessage, contentType: 'application/json', schema: { name: 'temp', content: '{"type":"object"}' } }],
  ['a message with empty payload and no properties', { ...baseMessage, payload: new Uint8Array(), userProperties: [] }],
  ['a snapshot', { kind: 'snapshot', timestamp: ts, format: 'rgb24', width: 2, height: 1, frame: new Uint8Array([1, 2, 3, 4, 5, 6]) }],
  ['a bytes item', { kind: 'bytes', timestamp: ts, bytes: new Uint8Array([0, 255, 7]) }],
];

describe.each(['bytes', 'buffer'] as PayloadPassing[])('itemToWit / itemFromWit with payloadPassing %s', (passing) => {
  it.each(items)('round-trips %s', (_name, item) => {
    const wit = itemToWit(item, passing);
    expect(itemFromWit(wit, item.timestamp)).toEqual(item);
  });

  it('lowers payloads in the requested form and topics always as bytes', () => {
    const wit = itemToWit({ ...baseMessage, contentType: 'application/json' }, passing);
    if (wit.tag !== 'message') throw new Error(`expected message, got ${wit.tag}`);
    expect(wit.val.payload.tag).toBe(passing);
    if (passing === 'buffer') {
      expect(wit.val.payload.val).toBeInstanceOf(HostBuffer);
      expect(fromUtf8((wit.val.payload.val as HostBuffer).read())).toBe('{"temperature":{"value":85,"unit":"F"}}');
    } else {
      expect(fromUtf8(wit.val.payload.val as Uint8Array)).toBe('{"temperature":{"value":85,"unit":"F"}}');
    }
    expect(wit.val.topic).toEqual({ tag: 'bytes', val: utf8('sensors/temp') });
    expect(wit.val.contentType).toEqual({ tag: 'string', val: 'application/json' });
    expect(wit.val.properties.userProperties[1]).toEqual([{ tag: 'string', val: 'otel/factoryId' }, { tag: 'string', val: 'factoryA' }]);
    expect(wit.val.timestamp).toEqual({ timestamp: { secs: ts.secs, nanos: ts.nanos }, counter: ts.counter, nodeId: { tag: 'string', val: 'node-a' } });
    expect(wit.val.schema).toBeUndefined();

    const snap = itemToWit(items[5]![1], passing);
    expect(snap.tag === 'snapshot' && snap.val.frame.tag).toBe(passing);
    const raw = itemToWit(items[6]![1], passing);
    expect(raw.tag === 'buffer-or-bytes' && raw.val.tag).toBe(passing);
  });

  it('lowers the two schema forms as their variants', () => {
    const ref = itemToWit({ ...baseMessage, schema: { registryReference: 'aio-sr://ns/temp:1' } }, passing);
    const inline = itemToWit({ ...baseMessage, schema: { name: 'temp', content: '{}' } }, passing);
    expect(ref.tag === 'message' && ref.val.schema).toEqual({ tag: 'registry-reference', val: { tag: 'string', val: 'aio-sr://ns/temp:1' } });
    expect(inline.tag === 'message' && inline.val.schema).toEqual({ tag: 'inline', val: { name: { tag: 'string', val: 'temp' }, content: { tag: 'string', val: '{}' } } });
  });
});

describe('itemFromWit', () => {
  it('gives a bytes result the carried timestamp (raw bytes have none)', () => {
    const lifted = itemFromWit({ tag: 'buffer-or-bytes', val: { tag: 'bytes', val: new Uint8Array([1]) } }, other);
    expect(lifted).toEqual({ kind: 'bytes', timestamp: other, bytes: new Uint8Array([1]) });
  });

  it('keeps the timestamp the operator set on a message, not the carried one', () => {
    const wit = itemToWit(baseMessage, 'bytes');
    expect(itemFromWit(wit, other).timestamp).toEqual(ts);
  });

  it('reads buffer-or-string values handed back as host buffers', () => {
    const value: WitDataModel = {
      tag: 'message',
      val: {
        timestamp: { timestamp: { secs: 20n, nanos: 0 }, counter: 0n, nodeId: { tag: 'buffer', val: new HostBuffer(utf8('buf-node')) } },
        topic: { tag: 'buffer', val: new HostBuffer(utf8('t/b')) },
        contentType: { tag: 'buffer', val: new HostBuffer(utf8('text/plain')) },
        payload: { tag: 'buffer', val: new HostBuffer(utf8('hello')) },
        properties: { userProperties: [[{ tag: 'buffer', val: new HostBuffer(utf8('k')) }, { tag: 'string', val: 'v' }]] },
        schema: { tag: 'registry-reference', val: { tag: 'buffer', val: new HostBuffer(utf8('ref')) } },
      },
    };
    expect(itemFromWit(value, other)).toEqual({
      kind: 'message',
      timestamp: { secs: 20n, nanos: 0, counter: 0n, nodeId: 'buf-node' },
      topic: utf8('t/b'),
      contentType: 'text/plain',
      payload: utf8('hello'),
      userProperties: [['k', 'v']],
      schema: { registryReference: 'ref' },
    });
  });

  it('copies lifted bytes, so a later overwrite of guest memory does not change the item', () => {
    const memory = new Uint8Array(64);
    memory.set(utf8('payload!'), 8);
    const view = new Uint8Array(memory.buffer, 8, 8);
    const lifted = itemFromWit({ tag: 'buffer-or-bytes', val: { tag: 'bytes', val: view } }, other);
    memory.fill(0);
    expect(lifted.kind === 'bytes' && fromUtf8(lifted.bytes)).toBe('payload!');
  });

  it('copies a message topic and payload and a snapshot frame out of (guest) memory', () => {
    const memory = new Uint8Array(64);
    memory.set(utf8('topicpayloadframe'), 0);
    const view = (start: number, len: number) => new Uint8Array(memory.buffer, start, len);
    const message = itemFromWit({
      tag: 'message',
      val: {
        timestamp: { timestamp: { secs: 1n, nanos: 0 }, counter: 0n, nodeId: { tag: 'string', val: 'n' } },
        topic: { tag: 'bytes', val: view(0, 5) },
        payload: { tag: 'bytes', val: view(5, 7) },
        properties: { userProperties: [] },
      },
    }, other);
    const snapshot = itemFromWit({
      tag: 'snapshot',
      val: { timestamp: { timestamp: { secs: 1n, nanos: 0 }, counter: 0n, nodeId: { tag: 'string', val: 'n' } }, format: { tag: 'string', val: 'rgb24' }, width: 1, height: 1, frame: { tag: 'bytes', val: view(12, 5) } },
    }, other);
    memory.fill(0x21);
    expect(message.kind === 'message' && [fromUtf8(message.topic), fromUtf8(message.payload)]).toEqual(['topic', 'payload']);
    expect(snapshot.kind === 'snapshot' && fromUtf8(snapshot.frame)).toBe('frame');
  });

  it('rejects an unknown variant with a clear error', () => {
    expect(() => itemFromWit({ tag: 'tensor', val: {} } as unknown as WitDataModel, other)).toThrow(/unknown data-model variant "tensor"/);
  });
});

describe('hlcToWit / hlcFromWit', () => {
  it('round-trips an HLC', () => {
    expect(hlcFromWit(hlcToWit(ts))).toEqual(ts);
    expect(hlcToWit(ts)).toEqual({ timestamp: { secs: 1_758_255_553n, nanos: 528_000_000 }, counter: 4n, nodeId: 'node-a' });
  });

  it('normalises numeric fields to bigint secs/counter and number nanos', () => {
    const lifted = hlcFromWit({ timestamp: { secs: 20 as unknown as bigint, nanos: 5 }, counter: 0 as unknown as bigint, nodeId: 'n' });
    expect(lifted).toEqual({ secs: 20n, nanos: 5, counter: 0n, nodeId: 'n' });
  });
});

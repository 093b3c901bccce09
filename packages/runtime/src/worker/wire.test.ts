import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8, type Item } from '../data-model.ts';
import { ownArrays, packMessages, packOutputs, unpackMessages, unpackOutputs } from './wire.ts';

const ts = { secs: 1n, nanos: 2, counter: 3n, nodeId: 'n' };

describe('wire', () => {
  it('carries source messages with their payloads in one buffer (views on the other side)', () => {
    const messages = [
      { topic: 'a', payload: utf8('one'), userProperties: [['k', 'v']] as [string, string][], contentType: 'text/plain', qos: 1 as const },
      { topic: 'b', payload: new Uint8Array(0), userProperties: [] },
      { topic: 'c', payload: utf8('three!').subarray(2), userProperties: [] },
    ];
    const { messages: wire, buffer } = packMessages(messages);
    expect(buffer.byteLength).toBe(3 + 0 + 4);
    const back = unpackMessages(structuredClone(wire), buffer);
    expect(back.map((m) => [m.topic, fromUtf8(m.payload), m.userProperties, m.contentType, m.qos])).toEqual([
      ['a', 'one', [['k', 'v']], 'text/plain', 1], ['b', '', [], undefined, undefined], ['c', 'ree!', [], undefined, undefined],
    ]);
    expect(back[0]!.payload.buffer).toBe(buffer);
  });

  it('carries output items of every kind, byte arrays in one buffer', () => {
    const items: Item[] = [
      { kind: 'message', timestamp: ts, topic: utf8('t'), payload: utf8('p'), userProperties: [['a', 'b']], schema: { registryReference: 'r' } },
      { kind: 'snapshot', timestamp: ts, format: 'rgb24', width: 1, height: 1, frame: utf8('fff') },
      { kind: 'bytes', timestamp: ts, bytes: utf8('bb') },
    ];
    const { outputs, buffer } = packOutputs(items.map((item) => ({ sink: 's', item })));
    const back = unpackOutputs(structuredClone(outputs), buffer).map((o) => o.item);
    expect(back).toEqual(items);
  });

  it('ownArrays copies views so that a sample does not carry the whole batch buffer', () => {
    const { messages, buffer } = packMessages([{ topic: 'a', payload: utf8('xy'), userProperties: [] }, { topic: 'b', payload: utf8('z'), userProperties: [] }]);
    const [m] = unpackMessages(messages, buffer);
    const item: Item = { kind: 'message', timestamp: ts, topic: utf8('a'), payload: m!.payload, userProperties: [] };
    const own = ownArrays(item);
    expect(own.kind === 'message' && own.payload.buffer.byteLength).toBe(2);
    expect(own.kind === 'message' && fromUtf8(own.payload)).toBe('xy');
    expect(own.kind === 'message' && own.topic).toBe(item.topic);
  });
});

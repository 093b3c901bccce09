import type { Hlc } from '@wgs/graph-model';
import { fromUtf8, utf8, type Item } from './data-model.ts';
import { HostBuffer } from './host/buffer.ts';
import { isLiftSlab } from './host/lift-slab.ts';

/* Conversion between runtime items and the values jco's glue lifts/lowers
 * (variants `{tag, val}`, records with camelCase fields, u64 as bigint). */

type Tagged<T extends string, V> = { tag: T; val: V };
export type BufferOrBytes = Tagged<'buffer', HostBuffer> | Tagged<'bytes', Uint8Array>;
export type BufferOrString = Tagged<'buffer', HostBuffer> | Tagged<'string', string>;

interface WitTimestamp {
  timestamp: { secs: bigint; nanos: number };
  counter: bigint;
  nodeId: BufferOrString;
}

export interface WitHlc {
  timestamp: { secs: bigint; nanos: number };
  counter: bigint;
  nodeId: string;
}

export type WitDataModel =
  | Tagged<'buffer-or-bytes', BufferOrBytes>
  | Tagged<'message', {
      timestamp: WitTimestamp;
      topic: BufferOrBytes;
      contentType?: BufferOrString;
      payload: BufferOrBytes;
      properties: { userProperties: [BufferOrString, BufferOrString][] };
      schema?: Tagged<'registry-reference', BufferOrString> | Tagged<'inline', { name: BufferOrString; content: BufferOrString }>;
    }>
  | Tagged<'snapshot', { timestamp: WitTimestamp; format: BufferOrString; width: number; height: number; frame: BufferOrBytes }>;

export type PayloadPassing = 'bytes' | 'buffer';

export function hlcToWit(h: Hlc): WitHlc {
  return { timestamp: { secs: h.secs, nanos: h.nanos }, counter: h.counter, nodeId: h.nodeId };
}

export function hlcFromWit(w: WitHlc): Hlc {
  return { secs: BigInt(w.timestamp.secs), nanos: Number(w.timestamp.nanos), counter: BigInt(w.counter), nodeId: w.nodeId };
}

const str = (s: string): BufferOrString => ({ tag: 'string', val: s });
const readStr = (v: BufferOrString): string => (v.tag === 'string' ? v.val : fromUtf8(v.val.read()));
/**
 * Bytes of a lifted result, owned by the item. jco's glue lifts `list<u8>`
 * into a fresh array of its own (`memory.buffer.slice`): that one is kept as
 * it is; a view into a larger buffer (guest memory) or a host buffer's bytes
 * (the guest may hand back one the host still holds) are copied.
 */
const ownBytes = (v: BufferOrBytes): Uint8Array => (v.tag === 'bytes' && ownsBuffer(v.val) ? v.val : copy(v.tag === 'bytes' ? v.val : v.val.read()));

function ownsBuffer(b: Uint8Array): boolean {
  if (!(b instanceof Uint8Array)) return false;
  // The lean glue's lifted lists: copies in a slab of their own (host/lift-slab.ts).
  if (isLiftSlab(b.buffer)) return true;
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && !(b.buffer instanceof SharedArrayBuffer);
}

function timestampToWit(h: Hlc): WitTimestamp {
  return { timestamp: { secs: h.secs, nanos: h.nanos }, counter: h.counter, nodeId: str(h.nodeId) };
}

function timestampFromWit(t: WitTimestamp): Hlc {
  return { secs: BigInt(t.timestamp.secs), nanos: Number(t.timestamp.nanos), counter: BigInt(t.counter), nodeId: readStr(t.nodeId) };
}

/** Lowers an item. Payloads/frames go as host buffers or inline bytes. */
export function itemToWit(item: Item, passing: PayloadPassing): WitDataModel {
  const blob = (b: Uint8Array): BufferOrBytes => (passing === 'buffer' ? { tag: 'buffer', val: new HostBuffer(b) } : { tag: 'bytes', val: b });
  switch (item.kind) {
    case 'message':
      return {
        tag: 'message',
        val: {
          timestamp: timestampToWit(item.timestamp),
          topic: { tag: 'bytes', val: item.topic },
          contentType: item.contentType === undefined ? undefined : str(item.contentType),
          payload: blob(item.payload),
          properties: { userProperties: item.userProperties.map(([k, v]) => [str(k), str(v)]) },
          schema: item.schema === undefined
            ? undefined
            : 'registryReference' in item.schema
              ? { tag: 'registry-reference', val: str(item.schema.registryReference) }
              : { tag: 'inline', val: { name: str(item.schema.name), content: str(item.schema.content) } },
        },
      };
    case 'snapshot':
      return {
        tag: 'snapshot',
        val: { timestamp: timestampToWit(item.timestamp), format: str(item.format), width: item.width, height: item.height, frame: blob(item.frame) },
      };
    default:
      return { tag: 'buffer-or-bytes', val: blob(item.bytes) };
  }
}

/** Lifts an operator's result. `carried` is the timestamp for bytes-only items. */
export function itemFromWit(value: WitDataModel, carried: Hlc): Item {
  switch (value.tag) {
    case 'message': {
      const m = value.val;
      const schema = m.schema === undefined
        ? undefined
        : m.schema.tag === 'registry-reference'
          ? { registryReference: readStr(m.schema.val) }
          : { name: readStr(m.schema.val.name), content: readStr(m.schema.val.content) };
      return {
        kind: 'message',
        timestamp: timestampFromWit(m.timestamp),
        topic: ownBytes(m.topic),
        contentType: m.contentType === undefined ? undefined : readStr(m.contentType),
        payload: ownBytes(m.payload),
        userProperties: m.properties.userProperties.map(([k, v]) => [readStr(k), readStr(v)]),
        ...(schema ? { schema } : {}),
      };
    }
    case 'snapshot': {
      const s = value.val;
      return { kind: 'snapshot', timestamp: timestampFromWit(s.timestamp), format: readStr(s.format), width: s.width, height: s.height, frame: ownBytes(s.frame) };
    }
    case 'buffer-or-bytes':
      return { kind: 'bytes', timestamp: carried, bytes: ownBytes(value.val) };
    default:
      throw new Error(`operator returned an unknown data-model variant "${(value as { tag: string }).tag}"`);
  }
}

function copy(b: Uint8Array): Uint8Array {
  return b instanceof Uint8Array ? b.slice() : new Uint8Array(b);
}

export { utf8 };

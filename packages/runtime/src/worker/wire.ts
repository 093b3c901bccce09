/**
 * How batches cross the worker boundary: the byte arrays of a batch (source
 * payloads one way; output topics, payloads and frames the other) travel in
 * one transferred ArrayBuffer, the rest as plain values. Structured clone
 * would copy each small Uint8Array into an ArrayBuffer of its own on the
 * other side (an allocation and external-memory bookkeeping per array); one
 * buffer per batch costs one copy into it and no allocation per message.
 * The receiving side gets views into that buffer.
 */
import type { ConnectorMessage } from '@wgs/connectors';
import type { Item } from '../data-model.ts';
import type { SessionOutput } from '../engine/session.ts';

/**
 * The rest of a batch is one flat array of strings, numbers and bigints
 * (field after field, message after message): cloning it is cheaper than
 * cloning an object per message (the clone writes every key of every
 * object). Byte arrays are [offset, length] pairs into the buffer.
 */
export type Flat = (string | number | bigint | boolean | undefined | null | object)[];

class Packer {
  private parts: Uint8Array[] = [];
  private size = 0;

  /** Appends offset and length of `b` to `out`. */
  add(b: Uint8Array, out: Flat): void {
    out.push(this.size, b.byteLength);
    this.parts.push(b);
    this.size += b.byteLength;
  }

  finish(): ArrayBuffer {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out.buffer;
  }
}

function pushProperties(props: [string, string][], out: Flat): void {
  out.push(props.length);
  for (const [k, v] of props) out.push(k, v);
}

/** Reads a flat array front to back. */
class Reader {
  i = 0;
  constructor(private readonly a: Flat, private readonly buffer: ArrayBuffer) {}
  get more(): boolean {
    return this.i < this.a.length;
  }
  next<T>(): T {
    return this.a[this.i++] as T;
  }
  bytes(): Uint8Array {
    const offset = this.next<number>();
    return new Uint8Array(this.buffer, offset, this.next<number>());
  }
  properties(): [string, string][] {
    const n = this.next<number>();
    const out: [string, string][] = new Array(n);
    for (let k = 0; k < n; k++) out[k] = [this.next<string>(), this.next<string>()];
    return out;
  }
}

export function packMessages(messages: ConnectorMessage[]): { messages: Flat; buffer: ArrayBuffer } {
  const p = new Packer();
  const out: Flat = [];
  for (const m of messages) {
    out.push(m.topic, m.contentType, m.qos, m.receivedAt);
    p.add(m.payload, out);
    pushProperties(m.userProperties, out);
  }
  return { messages: out, buffer: p.finish() };
}

export function unpackMessages(flat: Flat, buffer: ArrayBuffer): ConnectorMessage[] {
  const r = new Reader(flat, buffer);
  const out: ConnectorMessage[] = [];
  while (r.more) {
    const topic = r.next<string>();
    const contentType = r.next<string | undefined>();
    const qos = r.next<0 | 1 | undefined>();
    const receivedAt = r.next<number | undefined>();
    const m: ConnectorMessage = { topic, payload: r.bytes(), userProperties: r.properties() };
    if (contentType !== undefined) m.contentType = contentType;
    if (qos !== undefined) m.qos = qos;
    if (receivedAt !== undefined) m.receivedAt = receivedAt;
    out.push(m);
  }
  return out;
}

const KIND = { message: 0, snapshot: 1, bytes: 2 } as const;

export function packOutputs(outputs: SessionOutput[]): { outputs: Flat; buffer: ArrayBuffer } {
  const p = new Packer();
  const out: Flat = [];
  for (const { sink, item } of outputs) {
    const t = item.timestamp;
    out.push(sink, KIND[item.kind], t.secs, t.nanos, t.counter, t.nodeId);
    switch (item.kind) {
      case 'message':
        p.add(item.topic, out);
        p.add(item.payload, out);
        out.push(item.contentType, item.schema);
        pushProperties(item.userProperties, out);
        break;
      case 'snapshot':
        out.push(item.format, item.width, item.height);
        p.add(item.frame, out);
        break;
      default:
        p.add(item.bytes, out);
    }
  }
  return { outputs: out, buffer: p.finish() };
}

export function unpackOutputs(flat: Flat, buffer: ArrayBuffer): SessionOutput[] {
  const r = new Reader(flat, buffer);
  const out: SessionOutput[] = [];
  while (r.more) {
    const sink = r.next<string>();
    const kind = r.next<number>();
    const timestamp = { secs: r.next<bigint>(), nanos: r.next<number>(), counter: r.next<bigint>(), nodeId: r.next<string>() };
    let item: Item;
    if (kind === KIND.message) {
      const topic = r.bytes();
      const payload = r.bytes();
      const contentType = r.next<string | undefined>();
      const schema = r.next<Extract<Item, { kind: 'message' }>['schema']>();
      item = { kind: 'message', timestamp, topic, contentType, payload, userProperties: r.properties(), ...(schema ? { schema } : {}) };
    } else if (kind === KIND.snapshot) {
      item = { kind: 'snapshot', timestamp, format: r.next<string>(), width: r.next<number>(), height: r.next<number>(), frame: r.bytes() };
    } else item = { kind: 'bytes', timestamp, bytes: r.bytes() };
    out.push({ sink, item });
  }
  return out;
}

/** A view into a larger buffer would be cloned with all of that buffer: such arrays are copied first. */
export function ownArrays(item: Item): Item {
  const own = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice());
  switch (item.kind) {
    case 'message':
      return { ...item, topic: own(item.topic), payload: own(item.payload) };
    case 'snapshot':
      return { ...item, frame: own(item.frame) };
    default:
      return { ...item, bytes: own(item.bytes) };
  }
}

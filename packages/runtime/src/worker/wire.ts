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

/** [offset, length] into the batch's buffer. */
export type Span = [number, number];

export type WireMessage = Omit<ConnectorMessage, 'payload'> & { payload: Span };

export type WireItem =
  | (Omit<Extract<Item, { kind: 'message' }>, 'topic' | 'payload'> & { topic: Span; payload: Span })
  | (Omit<Extract<Item, { kind: 'snapshot' }>, 'frame'> & { frame: Span })
  | (Omit<Extract<Item, { kind: 'bytes' }>, 'bytes'> & { bytes: Span });

export interface WireOutput {
  sink: string;
  item: WireItem;
}

class Packer {
  private parts: Uint8Array[] = [];
  private size = 0;

  add(b: Uint8Array): Span {
    const span: Span = [this.size, b.byteLength];
    this.parts.push(b);
    this.size += b.byteLength;
    return span;
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

const view = (buffer: ArrayBuffer, [offset, length]: Span) => new Uint8Array(buffer, offset, length);

export function packMessages(messages: ConnectorMessage[]): { messages: WireMessage[]; buffer: ArrayBuffer } {
  const p = new Packer();
  const wire = messages.map((m): WireMessage => ({ ...m, payload: p.add(m.payload) }));
  return { messages: wire, buffer: p.finish() };
}

export function unpackMessages(messages: WireMessage[], buffer: ArrayBuffer): ConnectorMessage[] {
  return messages.map((m) => ({ ...m, payload: view(buffer, m.payload) }));
}

function packItem(item: Item, p: Packer): WireItem {
  switch (item.kind) {
    case 'message':
      return { ...item, topic: p.add(item.topic), payload: p.add(item.payload) };
    case 'snapshot':
      return { ...item, frame: p.add(item.frame) };
    default:
      return { ...item, bytes: p.add(item.bytes) };
  }
}

function unpackItem(item: WireItem, buffer: ArrayBuffer): Item {
  switch (item.kind) {
    case 'message':
      return { ...item, topic: view(buffer, item.topic), payload: view(buffer, item.payload) };
    case 'snapshot':
      return { ...item, frame: view(buffer, item.frame) };
    default:
      return { ...item, bytes: view(buffer, item.bytes) };
  }
}

export function packOutputs(outputs: SessionOutput[]): { outputs: WireOutput[]; buffer: ArrayBuffer } {
  const p = new Packer();
  const wire = outputs.map((o) => ({ sink: o.sink, item: packItem(o.item, p) }));
  return { outputs: wire, buffer: p.finish() };
}

export function unpackOutputs(outputs: WireOutput[], buffer: ArrayBuffer): SessionOutput[] {
  return outputs.map((o) => ({ sink: o.sink, item: unpackItem(o.item, buffer) }));
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

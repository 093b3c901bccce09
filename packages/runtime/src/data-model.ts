import type { Hlc } from '@wgs/graph-model';

/** One item flowing through a graph, in the runtime's own (plain, cloneable) form. */
export type Item = MessageItem | SnapshotItem | BytesItem;

export interface MessageItem {
  kind: 'message';
  timestamp: Hlc;
  topic: Uint8Array;
  contentType?: string;
  payload: Uint8Array;
  userProperties: [string, string][];
  schema?: { registryReference: string } | { name: string; content: string };
}

export interface SnapshotItem {
  kind: 'snapshot';
  timestamp: Hlc;
  format: string;
  width: number;
  height: number;
  frame: Uint8Array;
}

/** `buffer-or-bytes` items carry no timestamp of their own; the runtime keeps one beside them. */
export interface BytesItem {
  kind: 'bytes';
  timestamp: Hlc;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const utf8 = (s: string): Uint8Array => encoder.encode(s);
export const fromUtf8 = (b: Uint8Array): string => decoder.decode(b);

export function itemTimestamp(item: Item): Hlc {
  return item.timestamp;
}

export function withTimestamp(item: Item, timestamp: Hlc): Item {
  return { ...item, timestamp };
}

export function describeItem(item: Item): string {
  switch (item.kind) {
    case 'message':
      return `message on "${fromUtf8(item.topic)}" (${item.payload.length} bytes)`;
    case 'snapshot':
      return `snapshot ${item.format} ${item.width}x${item.height}`;
    default:
      return `bytes (${item.bytes.length})`;
  }
}

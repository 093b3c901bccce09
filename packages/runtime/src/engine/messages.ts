import { formatHlc, parseHlc, type HybridClock } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { fromUtf8, utf8, type Item } from '../data-model.ts';

export const TS_PROPERTY = '__ts';

/**
 * A source's topics repeat: their UTF-8 bytes are kept (items never change
 * their arrays), which saves an encode and an ArrayBuffer per message. At
 * most TOPIC_CACHE topics; the cache starts over when full.
 */
const TOPIC_CACHE = 1024;
const topics = new Map<string, Uint8Array>();

function topicBytes(topic: string): Uint8Array {
  let b = topics.get(topic);
  if (!b) {
    if (topics.size >= TOPIC_CACHE) topics.clear();
    b = utf8(topic);
    topics.set(topic, b);
  }
  return b;
}

/**
 * A source message enters as a `message` item. Its timestamp is the `__ts`
 * user property when it parses (then `__ts` is not passed on as a user
 * property), otherwise the host clock at reception.
 */
export function sourceItem(m: ConnectorMessage, clock: HybridClock): Item {
  const ts = m.userProperties.find(([k]) => k === TS_PROPERTY);
  const parsed = ts ? parseHlc(ts[1]) : undefined;
  return {
    kind: 'message',
    timestamp: parsed ?? clock.tick(),
    topic: topicBytes(m.topic),
    contentType: m.contentType,
    payload: m.payload,
    userProperties: parsed ? m.userProperties.filter(([k]) => k !== TS_PROPERTY) : m.userProperties,
  };
}

/**
 * What the destination publishes for an item leaving a sink: always to the
 * run's destination topic (as the reference's destination node does), with the
 * item's user properties and its timestamp as `__ts`.
 */
export function sinkMessage(item: Item, destinationTopic: string): ConnectorMessage {
  const properties: [string, string][] = item.kind === 'message' ? item.userProperties.filter(([k]) => k !== TS_PROPERTY) : [];
  properties.push([TS_PROPERTY, formatHlc(item.timestamp)]);
  const payload = item.kind === 'message' ? item.payload : item.kind === 'snapshot' ? item.frame : item.bytes;
  return {
    topic: destinationTopic,
    payload,
    userProperties: properties,
    contentType: item.kind === 'message' ? item.contentType : item.kind === 'snapshot' ? `image/x-${item.format}` : undefined,
  };
}

/** The topic an operator set on a message (shown in previews and test output). */
export function itemTopic(item: Item): string | undefined {
  return item.kind === 'message' ? fromUtf8(item.topic) : undefined;
}

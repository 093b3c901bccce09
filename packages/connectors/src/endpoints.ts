/**
 * The connectors behind a broker URL: `mqtt://`, `mqtts://`, `ws://` for MQTT,
 * `kafka://` for Kafka. One place, so the CLI and the preview read any
 * endpoint the same way.
 */
import type { SinkConnector, SourceConnector } from './connector.ts';
import { KafkaSink, KafkaSource } from './kafka.ts';
import { MqttSink, MqttSource } from './mqtt.ts';

export interface EndpointOptions {
  qos?: 0 | 1;
  /** Kafka sources: the consumer group. */
  groupId?: string;
  /** MQTT: false for a clean session (previews). */
  persistent?: boolean;
  connectTimeoutMs?: number;
}

export const isKafkaUrl = (url: string) => url.startsWith('kafka://');

export function sourceFor(url: string, topics: string[], o: EndpointOptions = {}): SourceConnector {
  return isKafkaUrl(url)
    ? new KafkaSource({ url, groupId: o.groupId, connectTimeoutMs: o.connectTimeoutMs }, topics)
    : new MqttSource({ url, qos: o.qos, persistent: o.persistent, connectTimeoutMs: o.connectTimeoutMs }, topics);
}

export function sinkFor(url: string, o: EndpointOptions = {}): SinkConnector {
  return isKafkaUrl(url) ? new KafkaSink({ url, connectTimeoutMs: o.connectTimeoutMs }) : new MqttSink({ url, qos: o.qos, connectTimeoutMs: o.connectTimeoutMs });
}

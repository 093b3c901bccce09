/**
 * The connectors behind a broker URL: `mqtt://`, `mqtts://`, `ws://` for MQTT,
 * `kafka://` for Kafka. One place, so the CLI and the preview read any
 * endpoint the same way.
 */
import type { ConnectionListener } from './connection.ts';
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
  /** MQTT: a stable client id, so a restart resumes the session (the sink uses `<id>-out`). */
  clientId?: string;
  /** How many messages may be handed over and not yet acknowledged (MQTT Receive Maximum; Kafka records in flight). */
  inFlight?: number;
  onConnection?: ConnectionListener;
}

export const isKafkaUrl = (url: string) => url.startsWith('kafka://');

export function sourceFor(url: string, topics: string[], o: EndpointOptions = {}): SourceConnector {
  return isKafkaUrl(url)
    ? new KafkaSource({ url, groupId: o.groupId, connectTimeoutMs: o.connectTimeoutMs, clientId: o.clientId, onConnection: o.onConnection }, topics)
    : new MqttSource({ url, qos: o.qos, persistent: o.persistent, connectTimeoutMs: o.connectTimeoutMs, clientId: o.clientId, inFlight: o.inFlight, onConnection: o.onConnection }, topics);
}

export function sinkFor(url: string, o: EndpointOptions = {}): SinkConnector {
  return isKafkaUrl(url)
    ? new KafkaSink({ url, connectTimeoutMs: o.connectTimeoutMs, clientId: o.clientId, onConnection: o.onConnection })
    : new MqttSink({ url, qos: o.qos, connectTimeoutMs: o.connectTimeoutMs, clientId: o.clientId && `${o.clientId}-out`, onConnection: o.onConnection });
}

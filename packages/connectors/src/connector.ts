/**
 * Endpoint connectors: how messages enter and leave a running graph. The
 * executor only sees these interfaces, so Kafka or OpenTelemetry endpoints
 * plug in beside MQTT without touching it.
 */
import type { ConnectionStats } from './connection.ts';

export interface ConnectorMessage {
  topic: string;
  payload: Uint8Array;
  userProperties: [string, string][];
  contentType?: string;
  qos?: 0 | 1;
  /** Set on source messages: when the connector received it (ms since epoch). */
  receivedAt?: number;
}

/**
 * Receives each message. The returned promise settles when the graph has
 * processed it and its outputs were published (or deliberately dropped): only
 * then is QoS 1 acknowledged or the Kafka offset committed. A rejection leaves
 * the message unacknowledged, so the broker delivers it again later. Sources
 * call it for many messages at once (up to their in-flight window).
 */
export type MessageHandler = (message: ConnectorMessage) => Promise<void>;

export interface SourceConnector {
  readonly description: string;
  start(handler: MessageHandler): Promise<void>;
  /**
   * Stops taking messages, waits up to `drainMs` (default 10 s) for those
   * already handed over to settle and acknowledges them, then disconnects.
   * What is not acknowledged by then is delivered again after a restart.
   */
  stop(o?: { drainMs?: number }): Promise<void>;
  /** The broker connection's state and totals. */
  connection(): ConnectionStats;
  /** Messages handed to the handler and not yet settled. */
  readonly inFlight: number;
}

export interface SinkConnector {
  readonly description: string;
  start(): Promise<void>;
  /** Resolves once the broker acknowledged the message; while the broker is away it waits (and retries), it does not drop. */
  publish(message: ConnectorMessage): Promise<void>;
  stop(): Promise<void>;
  connection(): ConnectionStats;
}

/** User properties as a record (MQTT user properties, Kafka headers): a repeated key keeps all its values, in order. */
export function propertiesRecord(pairs: [string, string][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export class ConnectorError extends Error {
  constructor(readonly endpoint: string, message: string) {
    super(`${endpoint}: ${message}`);
    this.name = 'ConnectorError';
  }
}

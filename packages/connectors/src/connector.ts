/**
 * Endpoint connectors: how messages enter and leave a running graph. The
 * executor only sees these interfaces, so Kafka or OpenTelemetry endpoints
 * plug in beside MQTT without touching it.
 */
export interface ConnectorMessage {
  topic: string;
  payload: Uint8Array;
  userProperties: [string, string][];
  contentType?: string;
  qos?: 0 | 1;
  /** Set on source messages: when the connector received it (ms since epoch). */
  receivedAt?: number;
}

/** Delivers messages one at a time; the returned promise settles when the graph has processed it (then QoS 1 is acknowledged). */
export type MessageHandler = (message: ConnectorMessage) => Promise<void>;

export interface SourceConnector {
  readonly description: string;
  start(handler: MessageHandler): Promise<void>;
  stop(): Promise<void>;
}

export interface SinkConnector {
  readonly description: string;
  start(): Promise<void>;
  publish(message: ConnectorMessage): Promise<void>;
  stop(): Promise<void>;
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

import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { ConnectorError, propertiesRecord, type ConnectorMessage, type MessageHandler, type SinkConnector, type SourceConnector } from './connector.ts';

export interface MqttSettings {
  /** `mqtt://host:port` (or `mqtts://`, `ws://`). */
  url: string;
  clientId?: string;
  username?: string;
  password?: string;
  qos?: 0 | 1;
  /** Seconds the broker keeps the session (and un-acked QoS 1 messages) after a disconnect. */
  sessionExpirySeconds?: number;
  /** false: a clean session that ends with the connection (previews); default true. */
  persistent?: boolean;
  connectTimeoutMs?: number;
}

const decoder = new TextDecoder();

function connect(s: MqttSettings, role: string, extra: IClientOptions = {}, setup?: (c: MqttClient) => void): Promise<MqttClient> {
  const clientId = s.clientId ?? `wgs-${role}-${Math.random().toString(16).slice(2, 10)}`;
  const client = mqtt.connect(s.url, {
    protocolVersion: 5,
    clientId,
    username: s.username,
    password: s.password,
    clean: s.persistent === false,
    properties: { sessionExpiryInterval: s.persistent === false ? 0 : (s.sessionExpirySeconds ?? 300) },
    reconnectPeriod: 1000,
    connectTimeout: s.connectTimeoutMs ?? 5000,
    ...extra,
  });
  // Before CONNACK: a resumed session's queued messages arrive right after it.
  setup?.(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end(true);
      reject(new ConnectorError(s.url, `no connection to the MQTT broker after ${s.connectTimeoutMs ?? 5000} ms`));
    }, s.connectTimeoutMs ?? 5000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.on('error', (e) => {
      if (!client.connected) {
        clearTimeout(timer);
        client.end(true);
        reject(new ConnectorError(s.url, e.message));
      }
    });
  });
}

function userProperties(packet: IPublishPacket): [string, string][] {
  const up = packet.properties?.userProperties ?? {};
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(up)) {
    for (const value of Array.isArray(v) ? v : [v]) out.push([k, String(value)]);
  }
  return out;
}

/**
 * Subscribes to topic filters. A persistent session plus acknowledging QoS 1
 * messages only after the graph processed them means a reconnect (or a
 * restart with the same client id) redelivers what was not processed.
 */
export class MqttSource implements SourceConnector {
  private client?: MqttClient;

  constructor(private readonly settings: MqttSettings, private readonly topics: string[]) {}

  get description(): string {
    return `mqtt source ${this.settings.url} [${this.topics.join(', ')}]`;
  }

  async start(handler: MessageHandler): Promise<void> {
    // handleMessage gates the client's packet stream and the QoS 1 PUBACK.
    const install = (client: MqttClient) => (client.handleMessage = (packet, done) => {
      const message: ConnectorMessage = {
        topic: packet.topic,
        payload: typeof packet.payload === 'string' ? new TextEncoder().encode(packet.payload) : new Uint8Array(packet.payload),
        userProperties: userProperties(packet),
        contentType: packet.properties?.contentType,
        qos: packet.qos === 0 ? 0 : 1,
        receivedAt: Date.now(),
      };
      handler(message).then(() => done(), (e: Error) => done(e));
    });
    const client = await connect(this.settings, 'source', {}, install);
    this.client = client;
    const qos = this.settings.qos ?? 1;
    const granted = await client.subscribeAsync(this.topics.map((t) => ({ topic: t, qos })).reduce<Record<string, { qos: 0 | 1 }>>((acc, s) => ({ ...acc, [s.topic]: { qos } }), {}));
    const refused = granted.filter((g) => g.qos === 128);
    if (refused.length) throw new ConnectorError(this.settings.url, `subscription refused for ${refused.map((g) => g.topic).join(', ')}`);
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
  }
}

export class MqttSink implements SinkConnector {
  private client?: MqttClient;

  constructor(private readonly settings: MqttSettings) {}

  get description(): string {
    return `mqtt sink ${this.settings.url}`;
  }

  async start(): Promise<void> {
    this.client = await connect(this.settings, 'sink', { clean: true, properties: {} });
  }

  async publish(m: ConnectorMessage): Promise<void> {
    if (!this.client) throw new ConnectorError(this.settings.url, 'sink not started');
    const userProperties = propertiesRecord(m.userProperties);
    await this.client.publishAsync(m.topic, Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength), {
      qos: m.qos ?? this.settings.qos ?? 1,
      properties: { userProperties, ...(m.contentType ? { contentType: m.contentType } : {}) },
    });
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
  }
}

export function describePayload(p: Uint8Array): string {
  return decoder.decode(p.subarray(0, 200));
}

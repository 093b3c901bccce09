/**
 * mqtt.js, loaded from @wgs/connectors' own dependency (bench/ is not a
 * workspace package), with the small typed surface the benchmarks use.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface PublishPacket {
  topic: string;
  payload: Buffer;
  qos: number;
  properties?: { userProperties?: Record<string, string | string[]> };
}

export interface ConnackPacket {
  properties?: { receiveMaximum?: number };
}

export interface Client {
  connected: boolean;
  publish(topic: string, payload: Buffer, opts: { qos: 0 | 1; properties?: { userProperties?: Record<string, string> } }, cb: (err?: Error) => void): unknown;
  subscribeAsync(topic: string, opts: { qos: 0 | 1 }): Promise<{ topic: string; qos: number }[]>;
  on(event: 'message', cb: (topic: string, payload: Buffer, packet: PublishPacket) => void): unknown;
  on(event: 'error', cb: (e: Error) => void): unknown;
  on(event: 'close' | 'offline', cb: () => void): unknown;
  once(event: 'connect', cb: (connack: ConnackPacket) => void): unknown;
  once(event: 'error', cb: (e: Error) => void): unknown;
  endAsync(force?: boolean): Promise<void>;
}

interface MqttModule {
  connect(url: string, opts: Record<string, unknown>): Client;
}

let mod: Promise<MqttModule> | undefined;

function load(): Promise<MqttModule> {
  if (!mod) {
    const require = createRequire(new URL('../../packages/connectors/package.json', import.meta.url));
    const path = require.resolve('mqtt');
    mod = import(pathToFileURL(path).href).then((ns: { default?: MqttModule } & Partial<MqttModule>) => (ns.default?.connect ? ns.default : (ns as MqttModule)));
  }
  return mod;
}

/** Connects an MQTT 5 client (clean session, no reconnects) and resolves with it and its CONNACK. */
export async function connectClient(url: string, clientId: string): Promise<{ client: Client; connack: ConnackPacket }> {
  const mqtt = await load();
  const client = mqtt.connect(url, { protocolVersion: 5, clientId, clean: true, reconnectPeriod: 0, connectTimeout: 5000 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void client.endAsync(true);
      reject(new Error(`MQTT client ${clientId}: no connection to ${url} within 5 s`));
    }, 5000);
    client.once('connect', (connack) => {
      clearTimeout(timer);
      resolve({ client, connack });
    });
    client.once('error', (e) => {
      clearTimeout(timer);
      void client.endAsync(true);
      reject(new Error(`MQTT client ${clientId}: ${e.message}`));
    });
  });
}

import mqtt, { type IClientOptions, type IConnackPacket, type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import { backoffDelay, ConnectionTracker, type ConnectionListener, type ConnectionStats } from './connection.ts';
import { ConnectorError, propertiesRecord, type ConnectorMessage, type MessageHandler, type SinkConnector, type SourceConnector } from './connector.ts';

export interface MqttSettings {
  /** `mqtt://host:port` (or `mqtts://`, `ws://`). */
  url: string;
  /** A stable id lets a restarted process resume its session (and what was queued for it). */
  clientId?: string;
  username?: string;
  password?: string;
  qos?: 0 | 1;
  /** Seconds the broker keeps the session (and un-acked QoS 1 messages) after a disconnect; default 3600. */
  sessionExpirySeconds?: number;
  /** false: a clean session that ends with the connection (previews); default true. */
  persistent?: boolean;
  /** The first connect must succeed within this; later losses are retried forever. */
  connectTimeoutMs?: number;
  /**
   * Sources: QoS 1 messages the broker may have outstanding to us at once
   * (MQTT 5 Receive Maximum). It bounds what is redelivered after a crash.
   */
  inFlight?: number;
  /** Longest wait between reconnect attempts (backoff starts at 250 ms). */
  reconnectMaxMs?: number;
  onConnection?: ConnectionListener;
}

const DEFAULT_IN_FLIGHT = 1000;

/** mqtt.js sends every packet through this; the source holds back PUBACKs with it. */
interface PacketSender {
  _sendPacket(packet: Packet, cb?: (e?: Error) => void, cbStorePut?: unknown, noStore?: boolean): void;
}

interface ConnectionHooks {
  clean: boolean;
  sessionExpirySeconds: number;
  receiveMaximum?: number;
  /** Installed before CONNECT: a resumed session's messages arrive right after CONNACK. */
  setup?(client: MqttClient): void;
  /** Every CONNACK after the first (the first is start()'s business). */
  onReconnect?(sessionPresent: boolean): void;
}

/**
 * One MQTT 5 client that, once connected, stays connected: a lost connection
 * is retried forever with exponential backoff (mqtt.js's own reconnect is
 * off, it retries at a fixed period and a failed attempt could end the
 * client), reported through the tracker. The session and the client's
 * outgoing store survive reconnects, so unacknowledged publishes are resent.
 */
class MqttConnection {
  client?: MqttClient;
  /** Increments on every CONNACK: an acknowledgement belongs to the connection that received the message. */
  generation = 0;
  readonly tracker: ConnectionTracker;
  private stopping = false;
  private attempt = 0;
  private timer?: NodeJS.Timeout;
  private lastError?: string;

  constructor(private readonly s: MqttSettings, private readonly role: string, describe: () => string, private readonly hooks: ConnectionHooks) {
    this.tracker = new ConnectionTracker(describe, s.onConnection);
  }

  open(): Promise<MqttClient> {
    const s = this.s;
    const timeoutMs = s.connectTimeoutMs ?? 5000;
    const options: IClientOptions = {
      protocolVersion: 5,
      clientId: s.clientId ?? `wgs-${this.role}-${Math.random().toString(16).slice(2, 10)}`,
      username: s.username,
      password: s.password,
      clean: this.hooks.clean,
      properties: {
        sessionExpiryInterval: this.hooks.sessionExpirySeconds,
        ...(this.hooks.receiveMaximum ? { receiveMaximum: this.hooks.receiveMaximum } : {}),
      },
      reconnectPeriod: 0,
      resubscribe: false,
      connectTimeout: timeoutMs,
      // mqtt.js logs through \`debug\` on every packet, and the disabled logger still costs ~1 µs per message
      // (DEBUG=mqttjs* turns its log back on).
      ...(process.env.DEBUG ? {} : { log: noLog }),
    };
    const client = mqtt.connect(s.url, options);
    this.client = client;
    this.hooks.setup?.(client);
    let first = true;
    return new Promise<MqttClient>((resolve, reject) => {
      const fail = (why: string) => {
        if (!first) return;
        first = false;
        clearTimeout(timer);
        this.stopping = true;
        client.end(true);
        reject(new ConnectorError(s.url, why));
      };
      const timer = setTimeout(() => fail(`no connection to the MQTT broker after ${timeoutMs} ms`), timeoutMs);
      // A listener must always be there: an 'error' without one would end the process.
      client.on('error', (e) => {
        this.lastError = e.message;
        if (first) fail(e.message);
      });
      client.on('connect', (connack: IConnackPacket) => {
        this.generation++;
        this.tracker.connected(this.attempt);
        this.attempt = 0;
        if (first) {
          first = false;
          clearTimeout(timer);
          resolve(client);
        } else this.hooks.onReconnect?.(connack.sessionPresent);
      });
      client.on('close', () => {
        if (first) return fail(this.lastError ?? 'the MQTT broker closed the connection');
        if (this.stopping) return;
        this.tracker.disconnected(this.lastError ?? 'connection closed');
        this.scheduleReconnect();
      });
    });
  }

  private scheduleReconnect(): void {
    if (this.timer || this.stopping) return;
    this.attempt++;
    const delay = backoffDelay(this.attempt, this.s.reconnectMaxMs);
    this.tracker.reconnecting(this.attempt, delay, this.lastError);
    this.lastError = undefined;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const c = this.client;
      if (this.stopping || !c) return;
      // Keep the stores: mqtt.js would otherwise start empty ones and forget unacknowledged publishes.
      c.reconnect({ incomingStore: c.incomingStore, outgoingStore: c.outgoingStore });
    }, delay);
  }

  async close(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const c = this.client;
    if (!c) return;
    // A client that is not connected has nothing to say goodbye with.
    await (c.connected ? c.endAsync() : c.endAsync(true));
  }
}

const noLog = (): void => {};

function userProperties(packet: IPublishPacket): [string, string][] {
  const up = packet.properties?.userProperties ?? {};
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(up)) {
    for (const value of Array.isArray(v) ? v : [v]) out.push([k, String(value)]);
  }
  return out;
}

/**
 * Payloads are copied out of mqtt.js's packet (a view of the socket's read
 * buffer, which must not stay pinned): small ones into a shared 64 KiB slab,
 * as views, since an ArrayBuffer of their own costs ~0.7 µs each; a slab is
 * freed once no message views it any more.
 */
const SLAB_BYTES = 64 * 1024;
const MAX_SLABBED = 4 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function copyPayload(b: Uint8Array): Uint8Array {
  if (b.byteLength > MAX_SLABBED) return new Uint8Array(b);
  if (slabUsed + b.byteLength > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, b.byteLength);
  out.set(b);
  slabUsed += b.byteLength;
  return out;
}

function toMessage(packet: IPublishPacket): ConnectorMessage {
  return {
    topic: packet.topic,
    payload: typeof packet.payload === 'string' ? new TextEncoder().encode(packet.payload) : copyPayload(packet.payload),
    userProperties: userProperties(packet),
    contentType: packet.properties?.contentType,
    qos: packet.qos === 0 ? 0 : 1,
    receivedAt: Date.now(),
  };
}

/**
 * Subscribes to topic filters with a persistent session. Messages flow to the
 * handler without waiting for each other (the broker's in-flight window,
 * Receive Maximum, bounds them); a QoS 1 message is acknowledged only when
 * its handler resolved, on the connection it arrived on. So a restart with
 * the same client id, or a reconnect, redelivers whatever was not processed.
 */
export class MqttSource implements SourceConnector {
  private conn?: MqttConnection;
  private accepting = false;
  private readonly pending = new Set<Promise<void>>();
  /** PUBACKs mqtt.js is about to send that we send ourselves later. */
  private readonly held = new Set<number>();
  /** Continues mqtt.js's packet stream once the in-flight window has room again. */
  private resume?: () => void;

  constructor(private readonly settings: MqttSettings, private readonly topics: string[]) {}

  private get window(): number {
    return this.settings.inFlight ?? DEFAULT_IN_FLIGHT;
  }

  get description(): string {
    return `mqtt source ${this.settings.url} [${this.topics.join(', ')}]`;
  }

  connection(): ConnectionStats {
    return this.conn?.tracker.stats ?? { connected: false, disconnects: 0, reconnects: 0 };
  }

  async start(handler: MessageHandler): Promise<void> {
    const persistent = this.settings.persistent !== false;
    const conn = new MqttConnection(this.settings, 'source', () => this.description, {
      clean: !persistent,
      sessionExpirySeconds: persistent ? (this.settings.sessionExpirySeconds ?? 3600) : 0,
      receiveMaximum: this.window,
      setup: (client) => {
        this.install(client, handler);
        // A paused packet stream belongs to the lost connection; the new one starts its own.
        client.on('close', () => (this.resume = undefined));
      },
      // A broker that lost the session (restarted without persistence, or expired) needs the subscriptions again.
      onReconnect: (sessionPresent) => {
        if (!sessionPresent) void this.subscribe().catch(() => {});
      },
    });
    this.conn = conn;
    this.accepting = true;
    await conn.open();
    try {
      await this.subscribe();
    } catch (e) {
      await this.stop({ drainMs: 0 });
      throw e;
    }
  }

  private async subscribe(): Promise<void> {
    const client = this.conn!.client!;
    const qos = this.settings.qos ?? 1;
    const granted = await client.subscribeAsync(Object.fromEntries(this.topics.map((t) => [t, { qos }])));
    const refused = granted.filter((g) => g.qos === 128);
    if (refused.length) throw new ConnectorError(this.settings.url, `subscription refused for ${refused.map((g) => g.topic).join(', ')}`);
  }

  private install(client: MqttClient, handler: MessageHandler): void {
    const sender = client as unknown as PacketSender;
    const send = sender._sendPacket.bind(client);
    sender._sendPacket = (packet, cb, cbStorePut, noStore) => {
      // mqtt.js acknowledges as soon as handleMessage calls back; the stream goes on, the PUBACK waits for the graph.
      if (packet.cmd === 'puback' && packet.messageId !== undefined && this.held.delete(packet.messageId)) {
        cb?.();
        return;
      }
      send(packet, cb, cbStorePut, noStore);
    };
    client.handleMessage = (packet, done) => {
      const id = packet.qos > 0 ? packet.messageId : undefined;
      if (id !== undefined) this.held.add(id);
      // Stopping, or left over from a connection that is gone: not handed over and never
      // acknowledged, so the broker delivers it again (next session, or after the reconnect).
      if (this.accepting && client.connected) this.dispatch(handler, packet, id);
      // Our own window, whatever the broker makes of Receive Maximum (Mosquitto 2.0 sends past it):
      // while it is full, mqtt.js reads no further packets and TCP holds the rest at the broker.
      if (this.pending.size < this.window) done();
      else this.resume = done;
    };
  }

  private dispatch(handler: MessageHandler, packet: IPublishPacket, id: number | undefined): void {
    const conn = this.conn!;
    const generation = conn.generation;
    const settled = () => {
      this.pending.delete(work);
      const resume = this.resume;
      if (resume && this.pending.size < this.window) {
        this.resume = undefined;
        resume();
      }
    };
    const work: Promise<void> = handler(toMessage(packet)).then(() => {
      settled();
      const client = conn.client;
      // After a reconnect the broker redelivers it on the new connection; an old id may name another message there.
      if (id === undefined || !client?.connected || conn.generation !== generation) return;
      (client as unknown as PacketSender)._sendPacket({ cmd: 'puback', messageId: id, reasonCode: 0 } as Packet, undefined, undefined, true);
    }, () => {
      // Not processed: left unacknowledged on purpose (redelivered after a reconnect or restart).
      settled();
    });
    this.pending.add(work);
  }

  /** Messages handed to the handler and not yet settled. */
  get inFlight(): number {
    return this.pending.size;
  }

  async stop(o: { drainMs?: number } = {}): Promise<void> {
    this.accepting = false;
    const drainMs = o.drainMs ?? 10_000;
    if (this.pending.size && drainMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...this.pending]),
        new Promise((r) => (timer = setTimeout(r, drainMs))),
      ]);
      clearTimeout(timer);
    }
    await this.conn?.close();
  }
}

/**
 * Publishes with a session that survives reconnects: while the broker is
 * away, publishes wait in the client's store and are sent (or resent) once it
 * is back, so a publish resolves only when the broker acknowledged it.
 */
export class MqttSink implements SinkConnector {
  private conn?: MqttConnection;

  constructor(private readonly settings: MqttSettings) {}

  get description(): string {
    return `mqtt sink ${this.settings.url}`;
  }

  connection(): ConnectionStats {
    return this.conn?.tracker.stats ?? { connected: false, disconnects: 0, reconnects: 0 };
  }

  async start(): Promise<void> {
    // clean: false keeps mqtt.js from failing pending publishes when the connection drops.
    this.conn = new MqttConnection(this.settings, 'sink', () => this.description, { clean: false, sessionExpirySeconds: 60 });
    await this.conn.open();
  }

  publish(m: ConnectorMessage): Promise<void> {
    const client = this.conn?.client;
    if (!client) return Promise.reject(new ConnectorError(this.settings.url, 'sink not started'));
    // Not async: one promise per publish (mqtt.js's own), none around it.
    return client.publishAsync(m.topic, Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength), {
      qos: m.qos ?? this.settings.qos ?? 1,
      properties: {
        // An empty user-property record makes mqtt.js write a packet Mosquitto never acknowledges: leave it out.
        ...(m.userProperties.length ? { userProperties: propertiesRecord(m.userProperties) } : {}),
        ...(m.contentType ? { contentType: m.contentType } : {}),
      },
    }) as Promise<unknown> as Promise<void>;
  }

  async stop(): Promise<void> {
    await this.conn?.close();
  }
}

const decoder = new TextDecoder();

export function describePayload(p: Uint8Array): string {
  return decoder.decode(p.subarray(0, 200));
}

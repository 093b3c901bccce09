/**
 * Kafka endpoints (reference §4.4: a graph's source or destination may be a
 * Kafka endpoint), behind the same connector interface as MQTT. MQTT user
 * properties travel as Kafka record headers (the `__ts` HLC included) and the
 * content type as the `content-type` header, so a graph behaves the same on
 * either broker.
 */
import type { Consumer, IHeaders, Kafka, Producer } from 'kafkajs';
import { backoffDelay, ConnectionTracker, type ConnectionListener, type ConnectionStats } from './connection.ts';
import { ConnectorError, propertiesRecord, type ConnectorMessage, type MessageHandler, type SinkConnector, type SourceConnector } from './connector.ts';

export interface KafkaSettings {
  /** `kafka://host:port[,host:port…]` */
  url: string;
  clientId?: string;
  /** The consumer group of a source (reference: Kafka sources need `consumerGroupId`). */
  groupId?: string;
  /** A new group starts at the oldest record instead of the newest. */
  fromBeginning?: boolean;
  connectTimeoutMs?: number;
  onConnection?: ConnectionListener;
}

const CONTENT_TYPE = 'content-type';

/** The bootstrap servers of a `kafka://` URL. */
export function kafkaBrokers(url: string): string[] {
  const m = /^kafka:\/\/([^/?#]+)\/?$/.exec(url);
  if (!m) throw new ConnectorError(url, 'a Kafka endpoint is written kafka://host:port[,host:port…]');
  return m[1]!.split(',').map((b) => b.trim()).filter(Boolean);
}

/** kafkajs is imported when a Kafka endpoint is opened: an MQTT-only process (most `wgs run`s, the designer) never loads it. */
const loadKafkajs = () => import('kafkajs');

async function client(s: KafkaSettings, role: string): Promise<{ kafka: Kafka; kafkajs: typeof import('kafkajs') }> {
  const kafkajs = await loadKafkajs();
  const { Kafka, logLevel } = kafkajs;
  const kafka = new Kafka({
    clientId: s.clientId ?? `wgs-${role}`,
    brokers: kafkaBrokers(s.url),
    connectionTimeout: s.connectTimeoutMs ?? 5000,
    // A few quick tries, then a clear error (the caller decides about retrying).
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    logLevel: logLevel.NOTHING,
  });
  return { kafka, kafkajs };
}

/** Record headers → user properties (repeated keys stay repeated) and the content type. */
export function fromHeaders(headers: IHeaders | undefined): Pick<ConnectorMessage, 'userProperties' | 'contentType'> {
  const userProperties: [string, string][] = [];
  let contentType: string | undefined;
  for (const [k, v] of Object.entries(headers ?? {})) {
    for (const value of Array.isArray(v) ? v : [v]) {
      if (value === undefined) continue;
      const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
      if (k === CONTENT_TYPE && contentType === undefined) contentType = text;
      else userProperties.push([k, text]);
    }
  }
  return { userProperties, ...(contentType !== undefined ? { contentType } : {}) };
}

export function toHeaders(m: Pick<ConnectorMessage, 'userProperties' | 'contentType'>): IHeaders {
  const headers = propertiesRecord(m.userProperties);
  if (m.contentType) headers[CONTENT_TYPE] = m.contentType;
  return headers;
}

async function guard<T>(url: string, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw new ConnectorError(url, `${what}: ${(e as Error).message}`);
  }
}

/** How long a source waits for what a broker sets up on first use (auto-created topics, the group coordinator). */
const TOPIC_WAIT_MS = 10_000;

/** Retries what a broker refuses while still setting up (kafkajs marks those errors retriable). */
async function whileStarting<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + TOPIC_WAIT_MS;
  for (;;) {
    try {
      return await work();
    } catch (e) {
      if (!(e as { retriable?: boolean }).retriable || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** For partitions the group has no committed offset on: their current end (a group that has one resumes there). */
async function newestWithoutCommit(kafka: Kafka, groupId: string, topics: string[]): Promise<{ topic: string; partition: number; offset: string }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: { topic: string; partition: number; offset: string }[] = [];
    const committed = await admin.fetchOffsets({ groupId, topics });
    for (const topic of topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        if ((mine.find((p) => p.partition === end.partition)?.offset ?? '-1') === '-1') out.push({ topic, partition: end.partition, offset: end.offset });
      }
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Consumes topics in a consumer group. The records of a fetched batch are
 * handed to the graph together (they are processed in order), and an offset
 * is resolved only once its record and all before it were processed and their
 * outputs delivered; kafkajs commits resolved offsets after each batch. So a
 * restart resumes after the last processed record (at least once, like MQTT
 * QoS 1). A lost broker is retried by kafkajs (retriable crashes restart the
 * consumer); a crash it does not restart from is restarted here, with backoff.
 */
export class KafkaSource implements SourceConnector {
  private consumer?: Consumer;
  private handler?: MessageHandler;
  private accepting = false;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly tracker: ConnectionTracker;
  private restartTimer?: NodeJS.Timeout;
  private restarts = 0;

  constructor(private readonly settings: KafkaSettings, private readonly topics: string[]) {
    for (const t of topics) if (/[+#]/.test(t)) throw new ConnectorError(settings.url, `"${t}" is an MQTT topic filter; Kafka sources name topics`);
    this.tracker = new ConnectionTracker(() => this.description, settings.onConnection);
  }

  get description(): string {
    return `kafka source ${this.settings.url} [${this.topics.join(', ')}]`;
  }

  connection(): ConnectionStats {
    return this.tracker.stats;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  async start(handler: MessageHandler): Promise<void> {
    this.handler = handler;
    this.accepting = true;
    await this.open(true);
  }

  /** Connects, subscribes and runs one consumer; `first`: new groups are pinned to the end of each partition. */
  private async open(first: boolean): Promise<void> {
    const { kafka } = await client(this.settings, 'source');
    const groupId = this.settings.groupId ?? `wgs-${Math.random().toString(16).slice(2, 10)}`;
    this.settings.groupId = groupId;
    const consumer = kafka.consumer({ groupId });
    this.consumer = consumer;
    this.watch(consumer);
    await guard(this.settings.url, 'no connection to the Kafka broker', () => consumer.connect());
    const fromBeginning = this.settings.fromBeginning ?? false;
    let startAt: { topic: string; partition: number; offset: string }[];
    try {
      // A missing topic is created by the request that asked for it and shows up shortly.
      await guard(this.settings.url, 'subscribing failed', () => whileStarting(() => consumer.subscribe({ topics: this.topics, fromBeginning })));
      startAt = fromBeginning || !first ? [] : await guard(this.settings.url, 'reading offsets failed', () => whileStarting(() => newestWithoutCommit(kafka, groupId, this.topics)));
    } catch (e) {
      // A source that did not start holds no connection.
      await consumer.disconnect().catch(() => {});
      throw e;
    }
    // Resolves once the group is joined (with this member's partitions): only then are records fetched.
    const joined = new Promise<Record<string, number[]>>((resolve) => consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => resolve(payload.memberAssignment)));
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const handed: { offset: string; processed: Promise<boolean> }[] = [];
        for (const message of batch.messages) {
          if (!this.accepting || !isRunning() || isStale()) break;
          const processed = this.handler!({
            topic: batch.topic,
            payload: message.value ? new Uint8Array(message.value.buffer, message.value.byteOffset, message.value.byteLength) : new Uint8Array(),
            ...fromHeaders(message.headers),
            qos: 1,
            receivedAt: Date.now(),
          }).then(() => true, () => false);
          this.track(processed);
          handed.push({ offset: message.offset, processed });
        }
        // In order: a record that was not processed holds back every offset after it.
        for (const h of handed) {
          if (!(await h.processed)) break;
          resolveOffset(h.offset);
          await heartbeat();
        }
      },
    });
    // Pinned now, not when the first fetch resolves "latest": a record written once start() resolved is never skipped.
    for (const p of startAt) consumer.seek(p);
    const assigned = await joined;
    // The pinned start is committed at once: a group that stops or crashes before its first processed record
    // resumes there, not at a newer end (which would skip what was written while it was down).
    const mine = startAt.filter((p) => assigned[p.topic]?.includes(p.partition));
    if (mine.length) await guard(this.settings.url, 'committing the start offsets failed', () => consumer.commitOffsets(mine));
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Connection events from kafkajs's instrumentation; a crash kafkajs gives up on is restarted here. */
  private watch(consumer: Consumer): void {
    const e = consumer.events;
    consumer.on(e.GROUP_JOIN, () => this.tracker.connected());
    consumer.on(e.FETCH_START, () => {
      if (!this.tracker.stats.connected) this.tracker.connected();
    });
    consumer.on(e.CRASH, ({ payload }) => {
      this.tracker.disconnected(payload.error.message);
      if (payload.restart) {
        this.tracker.reconnecting(0, 0, payload.error.message);
        return;
      }
      this.scheduleRestart(payload.error.message);
    });
  }

  private scheduleRestart(reason: string): void {
    if (!this.accepting || this.restartTimer) return;
    const attempt = ++this.restarts;
    const delay = backoffDelay(attempt, this.settings.connectTimeoutMs ? Math.max(this.settings.connectTimeoutMs, 10_000) : 10_000);
    this.tracker.reconnecting(attempt, delay, reason);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.accepting) return;
      const old = this.consumer;
      void (async () => {
        await old?.disconnect().catch(() => {});
        try {
          await this.open(false);
          this.restarts = 0;
        } catch (err) {
          this.scheduleRestart((err as Error).message);
        }
      })();
    }, delay);
  }

  async stop(o: { drainMs?: number } = {}): Promise<void> {
    this.accepting = false;
    clearTimeout(this.restartTimer);
    const drainMs = o.drainMs ?? 10_000;
    if (this.pending.size && drainMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => (timer = setTimeout(r, drainMs)))]);
      clearTimeout(timer);
    }
    // kafkajs commits the offsets resolved so far as the running batch ends.
    await this.consumer?.disconnect();
  }
}

interface PendingRecord {
  topic: string;
  acks: number;
  value: Buffer;
  headers: IHeaders;
  done: { resolve(): void; reject(e: Error): void };
}

/**
 * Writes records. Publishes issued together (a graph batch's outputs) leave as
 * one produce request: each call still resolves only when its record is
 * acknowledged, but the round trip is shared.
 */
export class KafkaSink implements SinkConnector {
  private producer?: Producer;
  private pending: PendingRecord[] = [];
  private scheduled = false;
  private stopping = false;
  private wake?: () => void;
  private readonly tracker: ConnectionTracker;

  constructor(private readonly settings: KafkaSettings) {
    this.tracker = new ConnectionTracker(() => this.description, settings.onConnection);
  }

  get description(): string {
    return `kafka sink ${this.settings.url}`;
  }

  connection(): ConnectionStats {
    return this.tracker.stats;
  }

  async start(): Promise<void> {
    const { kafka, kafkajs } = await client(this.settings, 'sink');
    const producer = kafka.producer({ createPartitioner: kafkajs.Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
    this.producer = producer;
    await guard(this.settings.url, 'no connection to the Kafka broker', () => producer.connect());
    this.tracker.connected();
  }

  publish(m: ConnectorMessage): Promise<void> {
    if (!this.producer) return Promise.reject(new ConnectorError(this.settings.url, 'sink not started'));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({
        topic: m.topic,
        // acks -1: written to every in-sync replica before the graph moves on (QoS 0: the leader's ack).
        acks: m.qos === 0 ? 1 : -1,
        value: Buffer.from(m.payload.buffer, m.payload.byteOffset, m.payload.byteLength),
        headers: toHeaders(m),
        done: { resolve, reject },
      });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const records = this.pending;
    this.pending = [];
    for (const acks of [-1, 1]) {
      const group = records.filter((r) => r.acks === acks);
      if (!group.length) continue;
      const topics = [...new Set(group.map((r) => r.topic))];
      const request = { acks, topicMessages: topics.map((topic) => ({ topic, messages: group.filter((r) => r.topic === topic).map(({ value, headers }) => ({ value, headers })) })) };
      // A broker that is away is waited for (the graph stalls, its source stops acknowledging); only stop() gives up.
      for (let attempt = 1; ; attempt++) {
        try {
          await this.producer!.sendBatch(request);
          if (attempt > 1) this.tracker.connected(attempt - 1);
          for (const r of group) r.done.resolve();
          break;
        } catch (e) {
          const message = `writing to ${topics.join(', ')} failed: ${(e as Error).message}`;
          const retriable = isRetriable(e);
          if (this.stopping || !retriable) {
            const error = new ConnectorError(this.settings.url, message);
            for (const r of group) r.done.reject(error);
            break;
          }
          this.tracker.disconnected(message);
          const delay = backoffDelay(attempt);
          this.tracker.reconnecting(attempt, delay, message);
          await new Promise<void>((r) => {
            const t = setTimeout(r, delay);
            this.wake = () => {
              clearTimeout(t);
              r();
            };
          });
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.producer?.disconnect();
  }
}

/** kafkajs marks transient failures retriable; running out of its own retries or losing the connection is transient too. */
function isRetriable(e: unknown): boolean {
  let cause = e as { retriable?: boolean; name?: string; cause?: unknown } | undefined;
  while (cause) {
    if (cause.retriable || cause.name === 'KafkaJSNumberOfRetriesExceeded' || cause.name === 'KafkaJSConnectionError' || cause.name === 'KafkaJSRequestTimeoutError') return true;
    cause = cause.cause as typeof cause;
  }
  return false;
}

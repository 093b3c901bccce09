import type { GraphDefinition } from '@wgs/graph-model';
import type { PreviewErrorEntry, PreviewHealth, PreviewUnsent } from '@wgs/api-contract';
import type { ConnectionStats, ConnectorMessage } from '@wgs/connectors';
import type { EngineEvent, OperationCounters } from '../engine/graph-engine.ts';
import type { LogRecord } from '../engine/graph-instance.ts';
import { GraphRunner, type RunnerOptions } from '../worker/graph-runner.ts';
import { previewItem, type PreviewItem } from './preview-item.ts';
import { RingBuffer } from './ring-buffer.ts';

export interface PreviewSample {
  operation: string;
  event: 'in' | 'out' | 'drop';
  arm?: 'True' | 'False';
  reason?: string;
  at: number;
  item: PreviewItem;
}

/** Identical errors (operation, message, trap) of one update are one entry (the protocol's shape, declared in api-contract). */
export type PreviewError = PreviewErrorEntry;
export type { PreviewUnsent, PreviewHealth };

/** What a preview client receives: samples, errors and logs within `minFlushGapMs`, counters and health at least every `flushMs`. */
export interface PreviewUpdate {
  type: 'update';
  /** Exact totals since the session (or the last clear) started. */
  counters: Record<string, OperationCounters>;
  samples: PreviewSample[];
  errors: PreviewError[];
  logs: LogRecord[];
  /** Source messages not processed because the session is paused. */
  skippedWhilePaused: number;
  paused: boolean;
  /** The operators' own counter metrics (e.g. `requests`), when they changed. */
  metrics?: { name: string; labels: Record<string, string>; value: number }[];
  /** Present once anything was not sent. */
  unsent?: PreviewUnsent;
  /** In the first update and whenever it changed: whether the graph runs (or restarts after a fault) and the source's connection. */
  health?: PreviewHealth;
}


export interface PreviewOptions {
  graph: GraphDefinition;
  configuration?: Record<string, string>;
  /** A flattened data flow: see RunnerOptions. */
  operationConfiguration?: RunnerOptions['operationConfiguration'];
  operationRegistryDirs?: RunnerOptions['operationRegistryDirs'];
  /** The schema registry's contents and which schemas each operation gets at init: see RunnerOptions. */
  schemas?: RunnerOptions['schemas'];
  operationModuleSchemas?: RunnerOptions['operationModuleSchemas'];
  registryDir?: string;
  deadlineMs?: number;
  latenessMs?: number;
  /** Sampled items per operation and event kind per second (default 10). */
  sampleRate?: number;
  /** Recent samples kept per operation for inspection (default 50). */
  ringSize?: number;
  /** Source messages kept for replay (default 200). */
  historySize?: number;
  /** How often counters, metrics and health are looked at when nothing else happens (default 100 ms). */
  flushMs?: number;
  /**
   * Samples, errors and logs are flushed when they arrive (one update for
   * everything of that event-loop turn) unless the last update went out less
   * than this long ago; then at that gap's end, with everything arrived
   * meanwhile (default 25 ms: at most 40 updates per second from activity).
   * `Infinity`: only the `flushMs` interval sends.
   */
  minFlushGapMs?: number;
  /** Live run only: where outputs go (awaited, so a slow destination slows the preview). */
  onOutput?: RunnerOptions['onOutput'];
  /**
   * False while the client is behind (its socket's unread bytes over a cap):
   * the flush then sends nothing, drops the pending samples and logs (counted
   * in `unsent`) and keeps the aggregated errors, so nothing queues up.
   */
  canSend?: () => boolean;
}

/** Distinct error entries one update carries; more are counted in `unsent.errors`. */
const MAX_ERROR_ENTRIES = 50;
/** Samples and log lines waiting for one flush. */
const MAX_PENDING_SAMPLES = 1000;
const MAX_PENDING_LOGS = 200;

const zero = (): OperationCounters => ({ in: 0, out: 0, dropped: 0, errors: 0 });

/**
 * A live preview of a (draft) graph: runs it on real messages, keeps exact
 * counts, samples items per operation into bounded ring buffers, and batches
 * what the browser sees into one update per flush interval, so a busy stream
 * never floods the socket. The destination is never written here.
 */
export class PreviewSession {
  private readonly rings = new Map<string, RingBuffer<PreviewSample>>();
  private readonly history: RingBuffer<ConnectorMessage>;
  private pendingSamples: PreviewSample[] = [];
  private pendingErrors = new Map<string, PreviewError>();
  private pendingLogs: LogRecord[] = [];
  private unsent: PreviewUnsent = { samples: 0, logs: 0, errors: 0 };
  private baseline = new Map<string, OperationCounters>();
  private skipped = 0;
  private paused = false;
  private timer?: NodeJS.Timeout;
  /** The activity flush scheduled for the current gap, if any. */
  private soonTimer?: NodeJS.Timeout;
  private lastFlushAt = 0;
  private stopped = false;
  private lastSent = '';
  private lastMetrics = '';
  private lastHealth = '';
  private sourceStats?: () => ConnectionStats;

  private constructor(private readonly runner: GraphRunner, private readonly o: PreviewOptions, private readonly send: (u: PreviewUpdate) => void) {
    this.history = new RingBuffer(o.historySize ?? 200);
    for (const op of o.graph.operations) this.rings.set(op.name, new RingBuffer(o.ringSize ?? 50));
  }

  static async start(o: PreviewOptions, send: (u: PreviewUpdate) => void): Promise<PreviewSession> {
    // Lines logged by init (e.g. the configuration an operator got) arrive before the session exists.
    const early: LogRecord[] = [];
    let collect = (r: LogRecord) => void (early.length < MAX_PENDING_LOGS && early.push(r));
    const runner = await GraphRunner.start({
      onLog: (r) => collect(r),
      graph: o.graph,
      configuration: o.configuration,
      operationConfiguration: o.operationConfiguration,
      operationRegistryDirs: o.operationRegistryDirs,
      schemas: o.schemas,
      operationModuleSchemas: o.operationModuleSchemas,
      registryDir: o.registryDir,
      deadlineMs: o.deadlineMs,
      latenessMs: o.latenessMs ?? 1000,
      sampleRate: o.sampleRate ?? 10,
      onOutput: o.onOutput,
    });
    const s = new PreviewSession(runner, o, send);
    runner.on('observe', (events) => s.onObserved(events));
    runner.on('error', (e) => s.onError(e.operation, e.message, e.trap));
    // From now on into the session's buffer, which each flush hands over and renews.
    s.pendingLogs = early;
    collect = (r) => {
      if (s.pendingLogs.length < MAX_PENDING_LOGS) s.pendingLogs.push(r);
      else s.unsent.logs++;
      s.flushSoon();
    };
    s.timer = setInterval(() => s.flush(), o.flushMs ?? 100);
    s.timer.unref();
    if (early.length) s.flushSoon();
    return s;
  }

  /**
   * Something the browser should see arrived: flush on the next turn when the
   * last update is at least `minFlushGapMs` old, else at the end of that gap.
   * Whatever arrives until then goes into the same update, so a busy stream is
   * still one update per gap, aggregated as before.
   */
  private flushSoon(): void {
    const gap = this.o.minFlushGapMs ?? 25;
    // Infinity: only the flushMs interval sends (the behaviour before the gap existed).
    if (this.soonTimer || this.stopped || !Number.isFinite(gap)) return;
    const delay = Math.max(0, this.lastFlushAt + gap - Date.now());
    this.soonTimer = setTimeout(() => {
      this.soonTimer = undefined;
      this.flush();
    }, delay);
    this.soonTimer.unref();
  }

  private onObserved(events: EngineEvent[]): void {
    const at = Date.now();
    for (const e of events) {
      if (e.type === 'error') continue;
      const sample: PreviewSample = {
        operation: e.operation,
        event: e.type,
        arm: e.type === 'out' ? e.arm : undefined,
        reason: e.type === 'drop' ? e.reason : undefined,
        at,
        item: previewItem(e.item),
      };
      this.rings.get(e.operation)?.push(sample);
      this.pendingSamples.push(sample);
    }
    // Bound what waits for the next flush, whatever the sampler lets through.
    const over = this.pendingSamples.length - MAX_PENDING_SAMPLES;
    if (over > 0) {
      this.pendingSamples.splice(0, over);
      this.unsent.samples += over;
    }
    if (this.pendingSamples.length) this.flushSoon();
  }

  /** Errors bypass sampling: one entry per distinct error and flush, so a graph that fails every message stays small. */
  private onError(operation: string, message: string, trap: boolean): void {
    const key = `${operation}\u0000${trap}\u0000${message}`;
    const entry = this.pendingErrors.get(key);
    if (entry) {
      entry.count++;
      entry.at = Date.now();
    } else if (this.pendingErrors.size < MAX_ERROR_ENTRIES) {
      this.pendingErrors.set(key, { operation, message, trap, at: Date.now(), count: 1 });
    } else this.unsent.errors++;
    this.flushSoon();
  }

  counters(): Record<string, OperationCounters> {
    const out: Record<string, OperationCounters> = {};
    for (const [op, c] of this.runner.counters()) {
      const b = this.baseline.get(op) ?? zero();
      out[op] = { in: c.in - b.in, out: c.out - b.out, dropped: c.dropped - b.dropped, errors: c.errors - b.errors };
    }
    return out;
  }

  /** Sends an update when anything changed since the last one and the client keeps up. */
  flush(): void {
    clearTimeout(this.soonTimer);
    this.soonTimer = undefined;
    if (this.o.canSend && !this.o.canSend()) {
      // Counted as a flush: while the client is behind, activity does not retry more often than the gap.
      this.lastFlushAt = Date.now();
      return this.holdBack();
    }
    const counters = this.counters();
    const unsent = this.unsent.samples + this.unsent.logs + this.unsent.errors ? { ...this.unsent } : undefined;
    const key = JSON.stringify([counters, this.skipped, this.paused, unsent]);
    const metrics = this.runner.metricValues();
    const metricsKey = JSON.stringify(metrics);
    const metricsChanged = metricsKey !== this.lastMetrics;
    const health: PreviewHealth = { graph: this.runner.health(), ...(this.sourceStats ? { source: { ...this.sourceStats() } } : {}) };
    const healthKey = JSON.stringify(health);
    const healthChanged = healthKey !== this.lastHealth;
    if (!this.pendingSamples.length && !this.pendingErrors.size && !this.pendingLogs.length && key === this.lastSent && !metricsChanged && !healthChanged) return;
    this.lastFlushAt = Date.now();
    this.lastSent = key;
    this.lastMetrics = metricsKey;
    this.lastHealth = healthKey;
    const update: PreviewUpdate = {
      type: 'update',
      counters,
      samples: this.pendingSamples,
      errors: [...this.pendingErrors.values()],
      logs: this.pendingLogs,
      skippedWhilePaused: this.skipped,
      paused: this.paused,
      ...(metricsChanged ? { metrics } : {}),
      ...(unsent ? { unsent } : {}),
      ...(healthChanged ? { health } : {}),
    };
    this.pendingSamples = [];
    this.pendingErrors = new Map();
    this.pendingLogs = [];
    this.send(update);
  }

  /**
   * The client is behind: nothing is sent, samples and logs are dropped (and
   * counted); errors stay aggregated for the next update; counters are totals
   * read at that update, so they lose nothing.
   */
  private holdBack(): void {
    this.unsent.samples += this.pendingSamples.length;
    this.unsent.logs += this.pendingLogs.length;
    this.pendingSamples = [];
    this.pendingLogs = [];
  }

  /** Where the session reads the source connection's state for its updates. */
  setSource(stats: () => ConnectionStats): void {
    this.sourceStats = stats;
  }

  /** A message from the source endpoint. */
  async push(m: ConnectorMessage): Promise<void> {
    if (this.paused) {
      this.skipped++;
      return;
    }
    this.history.push(m);
    await this.runner.push(m);
  }

  /** A test message into the source (operation undefined or a source) or one operation's input. */
  async inject(m: ConnectorMessage, operation?: string): Promise<void> {
    const op = operation ? this.o.graph.operations.find((o) => o.name === operation) : undefined;
    if (operation && !op) throw new Error(`no operation named "${operation}"`);
    if (!op || op.operationType === 'source') {
      this.history.push(m);
      await this.runner.push(m);
    } else await this.runner.inject(operation!, m);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  /** Forgets samples and restarts the counts from zero. */
  clear(): void {
    for (const r of this.rings.values()) r.clear();
    this.pendingSamples = [];
    this.unsent = { samples: 0, logs: 0, errors: 0 };
    this.baseline = this.runner.counters();
    this.skipped = 0;
    this.lastSent = '';
  }

  /** The recent source messages, newest last (to replay into an edited graph). */
  recentSourceMessages(n = this.history.capacity): ConnectorMessage[] {
    return this.history.last(n);
  }

  /** Re-sends the last `n` source messages through this session. */
  async replay(messages: ConnectorMessage[]): Promise<void> {
    for (const m of messages) await this.runner.push(m);
  }

  /** Recent samples at one operation, oldest first. */
  inspect(operation: string): PreviewSample[] {
    const ring = this.rings.get(operation);
    if (!ring) throw new Error(`no operation named "${operation}"`);
    return ring.toArray();
  }

  idle(): Promise<void> {
    return this.runner.idle();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    this.stopped = true;
    await this.runner.stop();
  }
}

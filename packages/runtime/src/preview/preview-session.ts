import type { GraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
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

export interface PreviewError {
  operation: string;
  message: string;
  trap: boolean;
  at: number;
}

/** What a preview client receives, at most every `flushMs`. */
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
}

export interface PreviewOptions {
  graph: GraphDefinition;
  configuration?: Record<string, string>;
  registryDir?: string;
  deadlineMs?: number;
  latenessMs?: number;
  /** Sampled items per operation and event kind per second (default 10). */
  sampleRate?: number;
  /** Recent samples kept per operation for inspection (default 50). */
  ringSize?: number;
  /** Source messages kept for replay (default 200). */
  historySize?: number;
  /** How often updates are sent (default 100 ms). */
  flushMs?: number;
  /** Live run only: where outputs go (awaited, so a slow destination slows the preview). */
  onOutput?: RunnerOptions['onOutput'];
}

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
  private pendingErrors: PreviewError[] = [];
  private pendingLogs: LogRecord[] = [];
  private baseline = new Map<string, OperationCounters>();
  private skipped = 0;
  private paused = false;
  private timer?: NodeJS.Timeout;
  private lastSent = '';
  private lastMetrics = '';

  private constructor(private readonly runner: GraphRunner, private readonly o: PreviewOptions, private readonly send: (u: PreviewUpdate) => void) {
    this.history = new RingBuffer(o.historySize ?? 200);
    for (const op of o.graph.operations) this.rings.set(op.name, new RingBuffer(o.ringSize ?? 50));
  }

  static async start(o: PreviewOptions, send: (u: PreviewUpdate) => void): Promise<PreviewSession> {
    // Lines logged by init (e.g. the configuration an operator got) arrive before the session exists.
    const early: LogRecord[] = [];
    let collect = (r: LogRecord) => void (early.length < 200 && early.push(r));
    const runner = await GraphRunner.start({
      onLog: (r) => collect(r),
      graph: o.graph,
      configuration: o.configuration,
      registryDir: o.registryDir,
      deadlineMs: o.deadlineMs,
      latenessMs: o.latenessMs ?? 1000,
      sampleRate: o.sampleRate ?? 10,
      onOutput: o.onOutput,
    });
    const s = new PreviewSession(runner, o, send);
    runner.on('observe', (events) => s.onObserved(events));
    runner.on('error', (e) => s.pendingErrors.push({ operation: e.operation, message: e.message, trap: e.trap, at: Date.now() }));
    // From now on into the session's buffer, which each flush hands over and renews.
    s.pendingLogs = early;
    collect = (r) => void (s.pendingLogs.length < 200 && s.pendingLogs.push(r));
    s.timer = setInterval(() => s.flush(), o.flushMs ?? 100);
    s.timer.unref();
    return s;
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
    if (this.pendingSamples.length > 1000) this.pendingSamples.splice(0, this.pendingSamples.length - 1000);
  }

  counters(): Record<string, OperationCounters> {
    const out: Record<string, OperationCounters> = {};
    for (const [op, c] of this.runner.counters()) {
      const b = this.baseline.get(op) ?? zero();
      out[op] = { in: c.in - b.in, out: c.out - b.out, dropped: c.dropped - b.dropped, errors: c.errors - b.errors };
    }
    return out;
  }

  /** Sends an update when anything changed since the last one. */
  flush(): void {
    const counters = this.counters();
    const key = JSON.stringify(counters) + this.skipped + this.paused;
    const metrics = this.runner.metricValues();
    const metricsKey = JSON.stringify(metrics);
    const metricsChanged = metricsKey !== this.lastMetrics;
    if (!this.pendingSamples.length && !this.pendingErrors.length && !this.pendingLogs.length && key === this.lastSent && !metricsChanged) return;
    this.lastSent = key;
    this.lastMetrics = metricsKey;
    const update: PreviewUpdate = {
      type: 'update',
      counters,
      samples: this.pendingSamples,
      errors: this.pendingErrors,
      logs: this.pendingLogs,
      skippedWhilePaused: this.skipped,
      paused: this.paused,
      ...(metricsChanged ? { metrics } : {}),
    };
    this.pendingSamples = [];
    this.pendingErrors = [];
    this.pendingLogs = [];
    this.send(update);
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
    await this.runner.stop();
  }
}

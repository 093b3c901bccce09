import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { GraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import { embeddedRegistryDir } from '@wgs/registry';
import { batchIndex, CallWatch } from '../engine/call-watch.ts';
import type { EngineEvent, OperationCounters } from '../engine/graph-engine.ts';
import type { LogRecord } from '../engine/graph-instance.ts';
import type { SessionOutput } from '../engine/session.ts';
import type { LocalSchema } from '../host/imports.ts';
import type { PayloadPassing } from '../wit-values.ts';
import type { FromWorker, ToWorker, WorkerInit, WorkerStatus } from './protocol.ts';
import { packMessages, unpackOutputs } from './wire.ts';
import { workerEntry } from './worker-bundle.ts';

export interface RunnerOptions {
  graph: GraphDefinition;
  /** OCI layout registry holding the modules (default: the embedded one). */
  registryDir?: string;
  /** Where relative `.wasm` module paths resolve. */
  baseDir?: string;
  configuration?: Record<string, string>;
  /** A flattened data flow (graph-model flattenDataflow): configuration per operation, instead of `configuration`. */
  operationConfiguration?: Record<string, Record<string, string>>;
  /** A flattened data flow: the OCI layout of each operation whose module is not in `registryDir`. */
  operationRegistryDirs?: Record<string, string>;
  stateSeed?: [string, string][];
  /** The run's schema registry (WIT `schema-registry`); also module schemas at init, see operationModuleSchemas. */
  schemas?: LocalSchema[];
  /** Which of `schemas` each operation gets as module schemas (by `ns/name:version`); undefined: all of them, to every operation. */
  operationModuleSchemas?: Record<string, string[]>;
  payloadPassing?: PayloadPassing;
  latenessMs?: number;
  /** An operator call running longer is stopped (the worker is replaced). */
  deadlineMs?: number;
  /** Loading and init of all operators must finish within this. */
  startTimeoutMs?: number;
  /** Messages accepted but not yet processed; push() waits beyond this. */
  maxQueue?: number;
  batchSize?: number;
  /**
   * Emit 'observe' events (preview): at most this many sampled items per
   * operation and event kind per second; errors always. 0/undefined: none.
   */
  sampleRate?: number;
  /**
   * Delivers each output; the next batch waits until the promises of this
   * batch's outputs settle, so a slow destination slows the source
   * (backpressure) instead of piling up writes.
   */
  onOutput?(o: SessionOutput): Promise<void> | void;
  /** Operator log lines, from the first `init` on (the 'log' event only reaches listeners attached after start). */
  onLog?(r: LogRecord): void;
  /** Linear memory one operator instance may grow to (default 256 MiB); past it the instance traps and is re-instantiated. */
  memoryLimitBytes?: number;
  /** Longest wait between attempts to restart a worker that failed to start again (default 30 s). */
  restartBackoffMaxMs?: number;
  /** Processed batches whose outputs may be in delivery while the worker processes the next (default 4). */
  maxDelivering?: number;
}

/** Whether the graph is running, and what its restarts cost. */
export interface RunnerHealth {
  state: 'running' | 'restarting' | 'stopped';
  /** Workers replaced (deadline, crash). */
  restarts: number;
  /** Attempts to start a replacement that failed (each is retried with backoff). */
  failedRestarts: number;
  lastError?: string;
}

export interface RunnerEvents {
  output: [SessionOutput];
  error: [Extract<EngineEvent, { type: 'error' }>];
  log: [LogRecord];
  observe: [EngineEvent[]];
  restart: [string];
  /** A replacement worker did not start; the runner tries again after `retryInMs`. */
  'restart-failed': [{ message: string; attempt: number; retryInMs: number }];
  /** A replacement worker is ready again after failed attempts. */
  recovered: [{ attempts: number }];
}

interface Pending {
  message: ConnectorMessage;
  kind: 'ingest' | 'inject';
  operation?: string;
  /** Settles when the message was processed and its outputs were delivered (see push). */
  settle: { resolve(): void; reject(e: Error): void };
}

/** Linear memory per operator instance unless configured: generous for images, far from the process's limits. */
export const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;

const zero = (): OperationCounters => ({ in: 0, out: 0, dropped: 0, errors: 0 });

/**
 * Runs a graph in a worker thread so that an operator that loops forever can
 * be stopped without stopping the process: a watchdog terminates the worker
 * when a call passes its deadline, reports the operator, drops the message
 * that caused it and starts a fresh worker (state store restored from the
 * last batch) for the messages that follow. Nothing is posted to a worker
 * before it reported ready; a replacement that fails to start is retried with
 * backoff and reported ('restart-failed'), never given up silently.
 */
export class GraphRunner extends EventEmitter<RunnerEvents> {
  /** The worker that is ready; undefined while a (re)start is under way. */
  private worker?: Worker;
  /** A worker still loading and initialising (terminated on stop). */
  private booting?: Worker;
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private failedRestarts = 0;
  private lastError?: string;
  private readonly calls = new CallWatch();
  private readonly queue: Pending[] = [];
  private inFlight?: { seq: number; batch: Pending[]; resolve: () => void; reject: (e: Error) => void };
  /**
   * Batches the worker has processed whose outputs are still being delivered:
   * the worker already processes the next batch meanwhile (at most
   * MAX_DELIVERING of them wait), and their messages settle once delivered.
   */
  private delivering = new Set<Pending[]>();
  private pumpScheduled = false;
  private control: { seq: number; type: 'tick' | 'drain' | 'status'; resolve: (s: WorkerStatus) => void; reject: (e: Error) => void }[] = [];
  private seq = 0;
  private state: [string, string][];
  private base = new Map<string, OperationCounters>();
  private live = new Map<string, OperationCounters>();
  private lastStatus?: WorkerStatus;
  private waiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  private watchdog?: NodeJS.Timeout;
  private ticker?: NodeJS.Timeout;
  private stopped = false;
  restarts = 0;

  private outputHandler: RunnerOptions['onOutput'];

  private constructor(private readonly o: RunnerOptions) {
    super();
    this.state = o.stateSeed ?? [];
    this.outputHandler = o.onOutput;
  }

  /** Replaces the awaited output handler (see RunnerOptions.onOutput). */
  setOutputHandler(handler: RunnerOptions['onOutput']): void {
    this.outputHandler = handler;
  }

  static async start(o: RunnerOptions): Promise<GraphRunner> {
    const r = new GraphRunner(o);
    r.worker = await r.spawn();
    r.watchdog = setInterval(() => r.checkDeadline(), 25);
    r.watchdog.unref();
    if (o.latenessMs !== undefined) {
      // One tick at a time, and none while a worker restarts (they would only pile up).
      let ticking = false;
      r.ticker = setInterval(() => {
        if (ticking || !r.worker) return;
        ticking = true;
        void r.tick().catch(() => {}).finally(() => (ticking = false));
      }, 250);
      r.ticker.unref();
    }
    return r;
  }

  get deadlineMs(): number {
    return this.o.deadlineMs ?? 2000;
  }

  /** Starts a worker and resolves with it once it reported ready (it is not `this.worker` before that). */
  private async spawn(): Promise<Worker> {
    const url = await workerEntry();
    const init: WorkerInit = {
      graph: this.o.graph,
      registryDir: this.o.registryDir ?? embeddedRegistryDir(),
      baseDir: this.o.baseDir ?? process.cwd(),
      configuration: this.o.configuration ?? {},
      ...(this.o.operationConfiguration ? { operationConfiguration: this.o.operationConfiguration } : {}),
      ...(this.o.operationRegistryDirs ? { operationRegistryDirs: this.o.operationRegistryDirs } : {}),
      stateSeed: this.state,
      schemas: this.o.schemas ?? [],
      ...(this.o.operationModuleSchemas ? { operationModuleSchemas: this.o.operationModuleSchemas } : {}),
      payloadPassing: this.o.payloadPassing ?? 'bytes',
      latenessMs: this.o.latenessMs,
      calls: this.calls.buffer,
      sampleRate: this.o.sampleRate ?? 0,
      memoryLimitBytes: this.o.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT,
    };
    // The bundle needs no loader; the tsx entry registers tsx itself, whatever started us (CLI, server, vitest).
    // WGS_WORKER_CPU_PROF=<dir>: each worker writes a V8 CPU profile there when it ends (docs/architecture.md, "Runtime speed").
    const profDir = process.env.WGS_WORKER_CPU_PROF;
    const execArgv = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
    const worker = new Worker(url, { workerData: { init }, execArgv });
    this.booting = worker;
    const startMs = this.o.startTimeoutMs ?? 60_000;
    return new Promise<Worker>((resolve, reject) => {
      let booted = false;
      const fail = (e: Error) => {
        clearTimeout(timer);
        void worker.terminate();
        reject(e);
      };
      const timer = setTimeout(() => fail(new Error(`graph did not start within ${startMs} ms (an operator's init may not return)`)), startMs);
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          booted = true;
          clearTimeout(timer);
          resolve(worker);
        } else if (m.type === 'init-error') fail(new Error(m.message));
        else this.onMessage(m);
      });
      worker.on('error', (e) => {
        if (!booted) return fail(e);
        if (this.worker === worker) void this.replaceWorker(`worker failed: ${e.message}`);
      });
      worker.on('exit', (code) => {
        if (!booted) return fail(new Error(`graph worker exited (code ${code}) while starting`));
        // Terminated by us (replace, stop) it is no longer current; otherwise it died on its own.
        if (this.worker === worker) void this.replaceWorker(`worker exited unexpectedly (code ${code})`);
      });
    }).finally(() => {
      if (this.booting === worker) this.booting = undefined;
    });
  }

  /** Resolves when a worker is ready (at once while one is); rejects once the runner stopped. */
  private whenReady(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('graph runner stopped'));
    if (this.worker) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  /** Running, restarting or stopped; restart totals; the last failure. */
  health(): RunnerHealth {
    return {
      state: this.stopped ? 'stopped' : this.worker ? 'running' : 'restarting',
      restarts: this.restarts,
      failedRestarts: this.failedRestarts,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'error':
        this.emit('error', m.event);
        return;
      case 'log':
        this.o.onLog?.(m.record);
        this.emit('log', m.record);
        return;
      case 'observe':
        this.emit('observe', m.events);
        return;
      case 'done': {
        this.absorb(m.status);
        const delivered: Promise<void>[] = [];
        for (const o of unpackOutputs(m.outputs, m.bytes)) {
          this.emit('output', o);
          const p = this.outputHandler?.(o);
          if (p) delivered.push(p.catch((e: Error) => void this.emit('error', { type: 'error', operation: o.sink, message: `destination: ${e.message}`, trap: false })));
        }
        if (this.inFlight?.seq === m.seq) {
          const f = this.inFlight;
          this.inFlight = undefined;
          if (m.error) f.reject(new Error(m.error));
          else f.resolve();
          if (delivered.length) {
            // The worker takes the next batch while these outputs are delivered; the messages settle after.
            this.delivering.add(f.batch);
            void Promise.all(delivered).then(() => {
              if (!this.delivering.delete(f.batch)) return; // stopped meanwhile: rejected there
              // Processed and delivered (a failed delivery was reported above): the source may acknowledge.
              for (const p of f.batch) p.settle.resolve();
              this.pump();
            });
          } else for (const p of f.batch) p.settle.resolve();
          this.pump();
        } else {
          const c = this.control.find((x) => x.seq === m.seq);
          this.control = this.control.filter((x) => x.seq !== m.seq);
          if (c) {
            if (m.error) c.reject(new Error(m.error));
            else c.resolve(this.status());
          }
        }
        return;
      }
    }
  }

  private absorb(s: WorkerStatus): void {
    this.live = new Map(s.counters);
    if (s.state) this.state = s.state;
    this.lastStatus = { ...s, metrics: s.metrics ?? this.lastStatus?.metrics, metricValues: s.metricValues ?? this.lastStatus?.metricValues };
  }

  /** Counters over the whole run, across worker restarts. */
  counters(): Map<string, OperationCounters> {
    const out = new Map<string, OperationCounters>();
    for (const op of this.o.graph.operations) {
      const a = this.base.get(op.name) ?? zero();
      const b = this.live.get(op.name) ?? zero();
      out.set(op.name, { in: a.in + b.in, out: a.out + b.out, dropped: a.dropped + b.dropped, errors: a.errors + b.errors });
    }
    return out;
  }

  private status(): WorkerStatus {
    return { counters: [...this.counters()], state: this.state, metrics: this.lastStatus?.metrics ?? '', openItems: this.lastStatus?.openItems ?? 0 };
  }

  /** The operators' counter metrics as last reported (refreshed about once a second while busy). */
  metricValues(): NonNullable<WorkerStatus['metricValues']> {
    return this.lastStatus?.metricValues ?? [];
  }

  get queued(): number {
    let n = this.queue.length + (this.inFlight?.batch.length ?? 0);
    for (const b of this.delivering) n += b.length;
    return n;
  }

  /**
   * Takes a source message and resolves once it was processed and its outputs
   * were delivered (or it was dropped on purpose: filtered, an operator error,
   * past its deadline), so a source acknowledges only then. It waits while the
   * queue is full (backpressure); it rejects if the runner stops first.
   */
  push(message: ConnectorMessage): Promise<void> {
    return this.enqueue(message, 'ingest');
  }

  /** Feeds a message to one operation's input instead of the source; settles like push. */
  async inject(operation: string, message: ConnectorMessage): Promise<void> {
    await this.enqueue(message, 'inject', operation);
  }

  private enqueue(message: ConnectorMessage, kind: Pending['kind'], operation?: string): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('graph runner stopped'));
    // One promise per message while there is room (the common case); the wait for room is the slow path.
    if (this.queue.length < (this.o.maxQueue ?? 10_000)) return this.append(message, kind, operation);
    return this.enqueueWhenRoom(message, kind, operation);
  }

  private append(message: ConnectorMessage, kind: Pending['kind'], operation?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ message, kind, operation, settle: { resolve, reject } });
      this.schedulePump();
    });
  }

  /**
   * A message that arrives while the worker is idle goes out at the end of
   * this turn of the event loop, with every other message the same socket
   * read produced: one postMessage per read, not per message (each costs
   * a wake-up of the worker and a clone of its own).
   */
  private schedulePump(): void {
    if (this.pumpScheduled || this.inFlight) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private async enqueueWhenRoom(message: ConnectorMessage, kind: Pending['kind'], operation?: string): Promise<void> {
    while (this.queue.length >= (this.o.maxQueue ?? 10_000)) {
      await new Promise<void>((r) => this.spaceWaiters.push(r));
      if (this.stopped) throw new Error('graph runner stopped');
    }
    return this.append(message, kind, operation);
  }

  /** WGS_MAX_DELIVERING=1 turns the overlap of delivery and processing off (benchmarks' before/after). */
  private get maxDelivering(): number {
    return this.o.maxDelivering ?? (Number(process.env.WGS_MAX_DELIVERING) || 4);
  }

  private pump(): void {
    if (this.inFlight || !this.worker || this.stopped || this.control.length || this.delivering.size >= this.maxDelivering) {
      if (!this.inFlight && !this.queue.length) this.notifyIdle();
      return;
    }
    if (!this.queue.length) {
      this.notifyIdle();
      return;
    }
    const first = this.queue[0]!;
    let batch: Pending[];
    if (first.kind === 'inject') batch = this.queue.splice(0, 1);
    else {
      let n = 0;
      const max = this.o.batchSize ?? 256;
      while (n < this.queue.length && n < max && this.queue[n]!.kind === 'ingest') n++;
      batch = this.queue.splice(0, n);
    }
    for (const w of this.spaceWaiters.splice(0)) w();
    const seq = ++this.seq;
    // Operator failures are reported per item; a batch only fails on a host bug, reported the same way.
    this.inFlight = { seq, batch, resolve: () => {}, reject: (e) => this.emit('error', { type: 'error', operation: '', message: `host error: ${e.message}`, trap: false }) };
    this.calls.times[2] = 0;
    if (first.kind === 'inject') {
      this.worker.postMessage({ type: 'inject', seq, operation: first.operation!, message: first.message } satisfies ToWorker);
      return;
    }
    // One transferred buffer holds the batch's payloads (wire.ts); the pending messages keep their own.
    const { messages, buffer } = packMessages(batch.map((p) => p.message));
    this.worker.postMessage({ type: 'ingest', seq, messages, payloads: buffer } satisfies ToWorker, [buffer]);
  }

  private notifyIdle(): void {
    if (this.inFlight || this.queue.length || this.delivering.size) return;
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once every accepted message has been processed and its outputs delivered. */
  idle(): Promise<void> {
    if (!this.inFlight && !this.queue.length && !this.delivering.size) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  private async controlCall(type: 'tick' | 'drain' | 'status', now = Date.now()): Promise<WorkerStatus> {
    await this.idle();
    // A worker that is still starting gets nothing: its session does not exist yet.
    await this.whenReady();
    if (this.inFlight || this.queue.length || this.delivering.size) return this.controlCall(type, now);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.control.push({ seq, type, resolve, reject });
      this.worker!.postMessage(type === 'tick' ? { type, seq, now } : { type, seq });
    }).finally(() => this.pump()) as Promise<WorkerStatus>;
  }

  tick(): Promise<WorkerStatus> {
    return this.controlCall('tick');
  }

  /** Processes everything queued, then closes every open epoch (end of input). */
  drain(): Promise<WorkerStatus> {
    return this.controlCall('drain');
  }

  /** Counters, state-store contents and Prometheus metrics. */
  fetchStatus(): Promise<WorkerStatus> {
    return this.controlCall('status');
  }

  private checkDeadline(): void {
    // While a worker loads and inits it is not `this.worker`: startTimeoutMs guards it, not the call deadline.
    if (!this.worker || this.stopped) return;
    const running = this.calls.runningFor();
    if (running <= this.deadlineMs) return;
    const op = this.o.graph.operations[this.calls.operationIndex];
    const reason = `operator "${op?.name ?? '?'}" ran past its ${this.deadlineMs} ms deadline and was stopped; the message was dropped`;
    this.calls.end();
    void this.replaceWorker(reason, op?.name);
  }

  /** Terminates the worker and starts a new one; replays the unfinished batch minus the culprit. */
  private async replaceWorker(reason: string, operation?: string): Promise<void> {
    const old = this.worker;
    if (!old) return;
    this.worker = undefined;
    await old.terminate();
    this.restarts++;
    this.lastError = reason;
    for (const [name, c] of this.live) {
      const b = this.base.get(name) ?? zero();
      this.base.set(name, { in: b.in + c.in, out: b.out + c.out, dropped: b.dropped + c.dropped, errors: b.errors + c.errors });
    }
    this.live = new Map();
    if (operation) {
      const b = this.base.get(operation) ?? zero();
      this.base.set(operation, { ...b, errors: b.errors + 1 });
      this.emit('error', { type: 'error', operation, message: reason, trap: true });
    }
    this.emit('restart', reason);
    const f = this.inFlight;
    this.inFlight = undefined;
    if (f) {
      const culprit = f.batch.length > 1 ? batchIndex(this.calls) : 0;
      const replay = f.batch.filter((_, i) => i !== culprit);
      this.queue.unshift(...replay);
      f.resolve();
      // Dropped on purpose and reported: it is done with (a redelivery would only run into the same deadline).
      f.batch[culprit]?.settle.resolve();
    }
    for (const c of this.control.splice(0)) c.reject(new Error(`interrupted: ${reason}`));
    await this.startReplacement();
  }

  /** Starts workers until one is ready, waiting longer after each failure. */
  private async startReplacement(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        const worker = await this.spawn();
        if (this.stopped) {
          await worker.terminate();
          return;
        }
        this.worker = worker;
        if (attempt > 1) this.emit('recovered', { attempts: attempt });
        for (const w of this.readyWaiters.splice(0)) w.resolve();
        this.pump();
        return;
      } catch (e) {
        this.failedRestarts++;
        const message = `restart failed: ${(e as Error).message}`;
        this.lastError = message;
        const retryInMs = Math.min(this.o.restartBackoffMaxMs ?? 30_000, 250 * 2 ** Math.min(attempt - 1, 10));
        this.emit('restart-failed', { message, attempt, retryInMs });
        await new Promise((r) => setTimeout(r, retryInMs));
      }
    }
  }

  /** Stops at once: what is queued or in flight is rejected (so its source does not acknowledge it). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    clearInterval(this.ticker);
    const stopped = new Error('graph runner stopped');
    const unsettled = [...(this.inFlight?.batch ?? []), ...[...this.delivering].flat(), ...this.queue.splice(0)];
    this.inFlight = undefined;
    this.delivering.clear();
    for (const p of unsettled) p.settle.reject(stopped);
    for (const w of this.readyWaiters.splice(0)) w.reject(stopped);
    for (const c of this.control.splice(0)) c.reject(stopped);
    for (const w of this.spaceWaiters.splice(0)) w();
    for (const w of this.waiters.splice(0)) w();
    const workers = [this.worker, this.booting];
    this.worker = undefined;
    await Promise.all(workers.map((w) => w?.terminate()));
  }
}

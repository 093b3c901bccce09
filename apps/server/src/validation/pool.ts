/**
 * Validation off the event loop: request bodies are parsed and validated in
 * worker threads, so a costly document (20,000 YAML keys, a graph at the
 * size limits) delays only its own answer, never /healthz or other requests.
 * Bounded: at most `maxQueued` tasks wait (then BusyError), and a task that
 * runs longer than `timeoutMs` has its worker terminated (ValidationTimeoutError)
 * and replaced.
 */
import { Worker } from 'node:worker_threads';
import type { Diagnostic, GraphParseResult, ResourceContext } from '@wgs/graph-model';
import type { TaskResults, ValidationTask } from './tasks.ts';
import type { ResultMessage } from './worker.ts';

export class ValidationTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`validation took longer than ${timeoutMs} ms; the document was refused`);
    this.name = 'ValidationTimeoutError';
  }
}

export class ValidationBusyError extends Error {
  constructor(readonly queued: number) {
    super(`${queued} validations are already waiting; try again shortly`);
    this.name = 'ValidationBusyError';
  }
}

export interface ValidationPoolOptions {
  /** Worker threads (default 1: on small machines the event loop keeps a core). */
  size?: number;
  /** Per task (default 10 s). */
  timeoutMs?: number;
  /** Tasks waiting for a worker before new ones are refused (default 32). */
  maxQueued?: number;
}

interface Job {
  id: number;
  task: ValidationTask;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Loaded (tsx, graph-model): a task's time is counted from here, not from the thread's start. */
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export class ValidationPool {
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly maxQueued: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: ValidationPoolOptions = {}) {
    this.size = options.size ?? 1;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxQueued = options.maxQueued ?? 32;
  }

  graphDefinition(yaml: string): Promise<GraphParseResult> {
    return this.run({ kind: 'graph-definition', yaml }) as Promise<TaskResults['graph-definition']>;
  }

  resource(value: unknown, context?: ResourceContext): Promise<Diagnostic[]> {
    return this.run({ kind: 'resource', value, context }) as Promise<TaskResults['resource']>;
  }

  private run(task: ValidationTask): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the validation pool is closed'));
    if (this.queue.length >= this.maxQueued) return Promise.reject(new ValidationBusyError(this.queue.length));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => s.ready && !s.job);
      if (!slot) {
        if (this.slots.length < this.size) this.spawn(); // dispatches again once ready
        return;
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => this.fail(slot, new ValidationTimeoutError(this.timeoutMs)), this.timeoutMs);
      slot.worker.postMessage({ id: job.id, task: job.task });
    }
  }

  private spawn(): void {
    // A heap limit of its own: a document that blows up memory ends this worker, not the server.
    const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: 512 } });
    worker.unref(); // an idle pool never keeps the process alive (ref'd while it works)
    const slot: Slot = { worker, ready: false };
    worker.on('message', (m: ResultMessage | { ready: true }) => {
      if ('ready' in m) {
        slot.ready = true;
        this.dispatch();
        return;
      }
      if (slot.job?.id !== m.id) return;
      const job = slot.job;
      clearTimeout(slot.timer);
      slot.job = undefined;
      worker.unref();
      if (m.ok) job.resolve(m.result);
      else job.reject(new Error(m.message));
      this.dispatch();
    });
    worker.on('error', (e) => this.fail(slot, e));
    worker.on('exit', () => {
      if (this.slots.includes(slot)) this.fail(slot, new Error('the validation worker exited'));
    });
    this.slots.push(slot);
  }

  /** Ends the slot's worker (and its job, with `error`); the queue goes on with a fresh one. */
  private fail(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    clearTimeout(slot.timer);
    slot.job?.reject(error);
    void slot.worker.terminate();
    if (!this.closed) this.dispatch();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the validation pool is closed'));
    await Promise.all(this.slots.splice(0).map((s) => {
      clearTimeout(s.timer);
      s.job?.reject(new Error('the validation pool is closed'));
      return s.worker.terminate();
    }));
  }
}

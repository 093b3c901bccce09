import { compareHlc, epochKey, type GraphDefinition, type Hlc, type Operation } from '@wgs/graph-model';
import { fromUtf8, withTimestamp, type Item } from '../data-model.ts';
import { TopicRoutes } from './topic-routes.ts';
import { OperatorError, OperatorTrap, type OperatorInstance } from '../components/operator-instance.ts';

/** Exact per-operation counters (the preview and the CLI show these). */
export interface OperationCounters {
  in: number;
  out: number;
  dropped: number;
  errors: number;
}

export type EngineEvent =
  | { type: 'in' | 'out'; operation: string; item: Item; arm?: 'True' | 'False' }
  | { type: 'drop'; operation: string; item: Item; reason: string }
  | { type: 'error'; operation: string; item?: Item; message: string; trap: boolean };

export interface EngineHooks {
  /** Called for every item leaving through a sink operation. */
  onSink(sink: string, item: Item): void;
  /** Optional per-item observation (costly at high rates: only the preview sets it). */
  observe?(event: EngineEvent): void;
  /** Errors and traps are always reported. */
  onError?(event: Extract<EngineEvent, { type: 'error' }>): void;
}

interface Edge {
  to: string;
  arm?: 'True' | 'False';
}

interface Epoch {
  timestamp: Hlc;
  staged?: Item;
  pending: Item[];
}

/** Items buffered per epoch before folding them into `staged` (bounds memory). */
const FOLD_BATCH = 256;

/**
 * Executes a graph definition over items, synchronously per item, with the
 * reference's operator semantics. Epochs: items with equal timestamps share
 * one; an accumulate emits an epoch once the frontier (the newest source
 * timestamp, or the wall clock, see advance()) has passed it.
 */
export class GraphEngine {
  readonly counters = new Map<string, OperationCounters>();
  private readonly edges = new Map<string, Edge[]>();
  private readonly ops = new Map<string, Operation>();
  private readonly order: string[];
  private readonly epochs = new Map<string, Map<string, Epoch>>();
  /** Accumulates fed only by delays: the delay's counter order within an instant is its window order. */
  private readonly afterDelay = new Set<string>();
  /** Sources whose connections carry topic filters (a flattened data flow whose Source nodes feed different nodes). */
  private readonly routes = new Map<string, TopicRoutes>();
  private frontier?: Hlc;

  constructor(
    graph: GraphDefinition,
    private readonly instances: Map<string, OperatorInstance>,
    private readonly hooks: EngineHooks,
  ) {
    for (const op of graph.operations) {
      this.ops.set(op.name, op);
      this.counters.set(op.name, { in: 0, out: 0, dropped: 0, errors: 0 });
      this.edges.set(op.name, []);
      if (op.operationType === 'accumulate') this.epochs.set(op.name, new Map());
    }
    for (const c of graph.connections) this.edges.get(c.from.name)?.push({ to: c.to.name, arm: c.from.arm ?? undefined });
    for (const op of graph.operations) {
      const outgoing = graph.connections.filter((c) => c.from.name === op.name);
      if (op.operationType === 'source' && outgoing.some((c) => c.topics)) this.routes.set(op.name, new TopicRoutes(outgoing));
    }
    for (const [name] of this.epochs) {
      const inputs = graph.connections.filter((c) => c.to.name === name);
      if (inputs.length && inputs.every((c) => this.ops.get(c.from.name)?.operationType === 'delay')) this.afterDelay.add(name);
    }
    this.order = topologicalOrder(graph);
  }

  get sources(): string[] {
    return [...this.ops.values()].filter((o) => o.operationType === 'source').map((o) => o.name);
  }

  /** Feeds one item into every source, propagates it fully, then closes what it completed. */
  ingest(item: Item): void {
    for (const s of this.sources) this.deliver(s, item);
    if (!this.frontier || compareHlc(item.timestamp, this.frontier) > 0) this.frontier = item.timestamp;
    this.closeEpochs(this.frontier);
  }

  /** Feeds an item to one operation's input (preview "inject here"). */
  inject(operation: string, item: Item): void {
    if (!this.ops.has(operation)) throw new Error(`no operation named "${operation}"`);
    this.deliver(operation, item);
  }

  /** Moves the frontier forward (wall clock) or to the end of input (`undefined` closes all). */
  advance(frontier?: Hlc): void {
    if (frontier && this.frontier && compareHlc(frontier, this.frontier) <= 0) return;
    if (frontier) this.frontier = frontier;
    this.closeEpochs(frontier);
  }

  /** Number of items waiting in open epochs. */
  get openItems(): number {
    let n = 0;
    for (const m of this.epochs.values()) for (const e of m.values()) n += e.pending.length + (e.staged ? 1 : 0);
    return n;
  }

  private count(op: string): OperationCounters {
    return this.counters.get(op)!;
  }

  private emit(from: string, item: Item, arm?: 'True' | 'False'): void {
    this.count(from).out++;
    this.hooks.observe?.({ type: 'out', operation: from, item, arm });
    for (const e of this.edges.get(from) ?? []) {
      if (arm !== undefined && e.arm !== arm) continue;
      this.deliver(e.to, item);
    }
  }

  private fail(op: string, item: Item | undefined, e: unknown): void {
    this.count(op).errors++;
    const trap = e instanceof OperatorTrap;
    const message = e instanceof OperatorError || e instanceof OperatorTrap ? e.message : `host error: ${(e as Error).message ?? String(e)}`;
    const event = { type: 'error' as const, operation: op, item, message, trap };
    this.hooks.onError?.(event);
    this.hooks.observe?.(event);
  }

  private deliver(name: string, item: Item): void {
    const op = this.ops.get(name)!;
    this.count(name).in++;
    this.hooks.observe?.({ type: 'in', operation: name, item });
    const instance = this.instances.get(name);
    try {
      switch (op.operationType) {
        case 'source':
          if (this.routes.has(name)) this.route(name, item);
          else this.emit(name, item);
          return;
        case 'concatenate':
          this.emit(name, item);
          return;
        case 'sink':
          this.count(name).out++;
          this.hooks.onSink(name, item);
          return;
        case 'map':
          this.emit(name, instance!.map(item));
          return;
        case 'filter':
          if (instance!.filter(item)) this.emit(name, item);
          else this.drop(name, item, 'filtered out');
          return;
        case 'branch':
          this.emit(name, item, instance!.branch(item) ? 'True' : 'False');
          return;
        case 'delay': {
          const ts = instance!.delay(item);
          this.emit(name, retimestamp(item, ts));
          return;
        }
        case 'accumulate':
          this.stage(name, item);
          return;
      }
    } catch (e) {
      this.fail(name, item, e);
    }
  }

  /** A message enters each node whose connection's topic filters match its topic, once; one that matches none is dropped. */
  private route(name: string, item: Item): void {
    const topic = item.kind === 'message' ? fromUtf8(item.topic) : '';
    const targets = this.routes.get(name)!.targets(topic);
    if (!targets.length) return this.drop(name, item, `no Source node reads topic "${topic}"`);
    this.count(name).out++;
    this.hooks.observe?.({ type: 'out', operation: name, item });
    for (const to of targets) this.deliver(to, item);
  }

  private drop(op: string, item: Item, reason: string): void {
    this.count(op).dropped++;
    this.hooks.observe?.({ type: 'drop', operation: op, item, reason });
  }

  private stage(name: string, item: Item): void {
    const epochs = this.epochs.get(name)!;
    const key = epochKey(item.timestamp);
    let epoch = epochs.get(key);
    if (!epoch && this.afterDelay.has(name)) this.closeEarlierAtInstant(name, item.timestamp);
    if (!epoch) {
      epoch = { timestamp: item.timestamp, pending: [] };
      epochs.set(key, epoch);
    }
    epoch.pending.push(item);
    if (epoch.pending.length >= FOLD_BATCH) this.fold(name, epoch);
  }

  /** Folds pending items into staged; on error the epoch's pending items are dropped. */
  private fold(name: string, epoch: Epoch): boolean {
    if (!epoch.pending.length) return true;
    const batch = epoch.pending;
    epoch.pending = [];
    const staged = epoch.staged ?? initialStaged(epoch.timestamp);
    try {
      epoch.staged = this.instances.get(name)!.accumulate(staged, batch);
      return true;
    } catch (e) {
      this.fail(name, batch[batch.length - 1], e);
      return false;
    }
  }

  /**
   * After a delay, a new epoch at the same instant with a higher counter means
   * the delay has moved on to its next window (the window built-in's count,
   * memory and triggers number windows in the counter): the lower ones are
   * complete and close now instead of when the frontier passes the instant.
   */
  private closeEarlierAtInstant(name: string, ts: Hlc): void {
    const epochs = this.epochs.get(name)!;
    const done = [...epochs.entries()]
      .filter(([, e]) => compareTime(e.timestamp, ts) === 0 && e.timestamp.counter < ts.counter)
      .sort(([, a], [, b]) => compareHlc(a.timestamp, b.timestamp));
    for (const [key, epoch] of done) {
      epochs.delete(key);
      if (this.fold(name, epoch) && epoch.staged) this.emit(name, epoch.staged);
    }
  }

  /**
   * Closes, in topological order, every accumulate epoch whose time is older
   * than the frontier's time (all when undefined). Counters are not compared: a
   * delay may reset them (the window sample sets 0), so an item at the
   * frontier's instant with a higher counter can still belong to such an epoch.
   */
  private closeEpochs(frontier: Hlc | undefined): void {
    for (const name of this.order) {
      const epochs = this.epochs.get(name);
      if (!epochs?.size) continue;
      const due = [...epochs.entries()]
        .filter(([, e]) => !frontier || compareTime(e.timestamp, frontier) < 0)
        .sort(([, a], [, b]) => compareHlc(a.timestamp, b.timestamp));
      for (const [key, epoch] of due) {
        epochs.delete(key);
        if (this.fold(name, epoch) && epoch.staged) this.emit(name, epoch.staged);
      }
    }
  }
}

/**
 * The staged value an accumulate starts from: an empty message at the epoch's
 * timestamp (the samples detect "first call" by the empty payload).
 */
export function initialStaged(timestamp: Hlc): Item {
  return { kind: 'message', timestamp, topic: new Uint8Array(), payload: new Uint8Array(), userProperties: [] };
}

/** A delayed item continues with the new timestamp, inside the message too. */
function retimestamp(item: Item, ts: Hlc): Item {
  return withTimestamp(item, ts);
}

/** Orders by time only (seconds, nanoseconds), ignoring the counter. */
function compareTime(a: Hlc, b: Hlc): number {
  if (a.secs !== b.secs) return a.secs < b.secs ? -1 : 1;
  return a.nanos === b.nanos ? 0 : a.nanos < b.nanos ? -1 : 1;
}

export function topologicalOrder(graph: GraphDefinition): string[] {
  const indegree = new Map(graph.operations.map((o) => [o.name, 0]));
  for (const c of graph.connections) indegree.set(c.to.name, (indegree.get(c.to.name) ?? 0) + 1);
  const ready = graph.operations.filter((o) => indegree.get(o.name) === 0).map((o) => o.name);
  const out: string[] = [];
  while (ready.length) {
    const n = ready.shift()!;
    out.push(n);
    for (const c of graph.connections) {
      if (c.from.name !== n) continue;
      const d = indegree.get(c.to.name)! - 1;
      indegree.set(c.to.name, d);
      if (d === 0) ready.push(c.to.name);
    }
  }
  return out;
}

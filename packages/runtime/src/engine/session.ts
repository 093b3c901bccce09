import { hlcFromMillis, type GraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import type { Item } from '../data-model.ts';
import type { LocalSchema } from '../host/imports.ts';
import { StateStore } from '../host/state-store.ts';
import type { ModuleResolver } from '../module-resolver.ts';
import type { PayloadPassing } from '../wit-values.ts';
import type { CallWatch } from './call-watch.ts';
import { GraphEngine, type EngineEvent, type OperationCounters } from './graph-engine.ts';
import { instantiateGraph, type GraphInstances, type LogRecord } from './graph-instance.ts';
import { sourceItem } from './messages.ts';

export interface SessionOptions {
  graph: GraphDefinition;
  resolver: ModuleResolver;
  configuration?: Record<string, string>;
  /** Values per operation instead of `configuration` (a flattened data flow). */
  operationConfiguration?: Record<string, Record<string, string>>;
  stateSeed?: [string, string][];
  schemas?: LocalSchema[];
  operationModuleSchemas?: Record<string, string[]>;
  payloadPassing?: PayloadPassing;
  /**
   * How far behind the wall clock the frontier trails, closing epochs of
   * live data; undefined = only source timestamps and drain() close epochs.
   */
  latenessMs?: number;
  calls?: CallWatch;
  observe?(event: EngineEvent): void;
}

export interface SessionOutput {
  sink: string;
  item: Item;
}

export interface SessionCallbacks {
  onOutput(o: SessionOutput): void;
  onError(e: Extract<EngineEvent, { type: 'error' }>): void;
  onLog(r: LogRecord): void;
}

/**
 * A graph ready to process: instances started, engine wired. Traps are
 * healed here by re-instantiating the poisoned operator before the next item.
 */
export class GraphSession {
  private constructor(
    private readonly engine: GraphEngine,
    private readonly graphInstances: GraphInstances,
    private readonly latenessMs: number | undefined,
    private readonly callbacks: SessionCallbacks,
  ) {}

  static async start(o: SessionOptions, cb: SessionCallbacks): Promise<GraphSession> {
    const gi = await instantiateGraph({
      graph: o.graph,
      resolver: o.resolver,
      configuration: o.configuration,
      operationConfiguration: o.operationConfiguration,
      schemas: o.schemas,
      operationModuleSchemas: o.operationModuleSchemas,
      payloadPassing: o.payloadPassing,
      onLog: cb.onLog,
      calls: o.calls,
      stateStore: undefined,
    });
    if (o.stateSeed?.length) gi.stateStore.seed(Object.fromEntries(o.stateSeed));
    const engine = new GraphEngine(o.graph, gi.instances, {
      onSink: (sink, item) => cb.onOutput({ sink, item }),
      onError: cb.onError,
      observe: o.observe,
    });
    return new GraphSession(engine, gi, o.latenessMs, cb);
  }

  get counters(): Map<string, OperationCounters> {
    return this.engine.counters;
  }

  get metrics() {
    return this.graphInstances.metrics;
  }

  get stateStore(): StateStore {
    return this.graphInstances.stateStore;
  }

  get openItems(): number {
    return this.engine.openItems;
  }

  /** Re-instantiates trapped operators; one that cannot restart is reported and retried later. */
  private async heal(): Promise<void> {
    for (const instance of this.graphInstances.instances.values()) {
      if (!instance.needsRestart) continue;
      try {
        await instance.start();
      } catch (e) {
        this.callbacks.onError({ type: 'error', operation: instance.name, message: (e as Error).message, trap: true });
      }
    }
  }

  async ingest(m: ConnectorMessage): Promise<void> {
    this.engine.ingest(sourceItem(m, this.graphInstances.clock));
    await this.heal();
  }

  async inject(operation: string, m: ConnectorMessage): Promise<void> {
    this.engine.inject(operation, sourceItem(m, this.graphInstances.clock));
    await this.heal();
  }

  /** Wall-clock progress: closes epochs older than now - lateness. */
  async tick(nowMs = Date.now()): Promise<void> {
    if (this.latenessMs === undefined) return;
    this.engine.advance(hlcFromMillis(nowMs - this.latenessMs, 0n, this.graphInstances.clock.nodeId));
    await this.heal();
  }

  /** End of input: every open epoch is closed and emitted. */
  async drain(): Promise<void> {
    this.engine.advance(undefined);
    await this.heal();
  }
}

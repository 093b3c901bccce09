import { HybridClock, resolveConfiguration, schemaKey, type GraphDefinition } from '@wgs/graph-model';
import { prepareComponent } from '../components/component-cache.ts';
import { InitFailedError, OperatorInstance } from '../components/operator-instance.ts';
import type { LocalSchema, LogLevel } from '../host/imports.ts';
import { MetricsRegistry } from '../host/metrics.ts';
import { StateStore } from '../host/state-store.ts';
import type { ModuleResolver } from '../module-resolver.ts';
import type { PayloadPassing } from '../wit-values.ts';
import type { CallWatch } from './call-watch.ts';

export interface LogRecord {
  level: LogLevel;
  operation: string;
  context: string;
  message: string;
  time: number;
}

export interface GraphInstanceOptions {
  graph: GraphDefinition;
  resolver: ModuleResolver;
  /** Values for the graph's parameters (DataflowGraph `configuration`). */
  configuration?: Record<string, string>;
  /** Values per operation, instead of `configuration` (a flattened data flow: each node's own). */
  operationConfiguration?: Record<string, Record<string, string>>;
  stateStore?: StateStore;
  schemas?: LocalSchema[];
  /**
   * Which of `schemas` each operation gets as module schemas at init, by key
   * (`ns/name:version`): a data flow's connection schema goes to the node it
   * enters. Undefined: every operation gets all of them.
   */
  operationModuleSchemas?: Record<string, string[]>;
  payloadPassing?: PayloadPassing;
  onLog?(record: LogRecord): void;
  nodeId?: string;
  calls?: CallWatch;
}

/** The component instances of one graph, with the host services they share. */
export interface GraphInstances {
  instances: Map<string, OperatorInstance>;
  metrics: MetricsRegistry;
  stateStore: StateStore;
  clock: HybridClock;
}

/** Loads every module and starts every operator (init), failing with a clear error. */
export async function instantiateGraph(o: GraphInstanceOptions): Promise<GraphInstances> {
  const clock = new HybridClock(o.nodeId ?? 'wgs');
  const metrics = new MetricsRegistry();
  const stateStore = o.stateStore ?? new StateStore(clock);
  const config = resolveConfiguration(o.graph, o.configuration ?? {}, o.operationConfiguration);
  const instances = new Map<string, OperatorInstance>();
  // One read per module and origin: the same reference may name different modules on different registries.
  const bytesByModule = new Map<string, Promise<Uint8Array>>();
  const moduleKey = (op: { name: string; module?: string | null }) => `${o.resolver.originOf?.(op.name) ?? ''}\u0000${op.module}`;
  for (const op of o.graph.operations) {
    if (!op.module) continue;
    const missing = config.get(op.name)?.missing ?? [];
    if (missing.length) throw new InitFailedError(op.name, `required parameter(s) missing: ${missing.join(', ')}`);
    if (!bytesByModule.has(moduleKey(op))) bytesByModule.set(moduleKey(op), o.resolver.resolve(op.module, op.name));
  }
  for (const [index, op] of o.graph.operations.entries()) {
    if (!op.module) continue;
    const component = await prepareComponent(await bytesByModule.get(moduleKey(op))!, `module "${op.module}"`);
    const instance = new OperatorInstance(op, component, config.get(op.name)?.properties ?? [], {
      operation: op.name,
      log: (level, context, message) => o.onLog?.({ level, operation: op.name, context, message, time: Date.now() }),
      metrics,
      stateStore,
      schemas: o.schemas ?? [],
      clock,
    }, o.payloadPassing ?? 'bytes', moduleSchemas(o.graph, schemasOf(op.name, o.schemas ?? [], o.operationModuleSchemas)), o.calls ? { calls: o.calls, index } : undefined);
    await instance.start();
    instances.set(op.name, instance);
  }
  return { instances, metrics, stateStore, clock };
}

function schemasOf(operation: string, schemas: LocalSchema[], byOperation: Record<string, string[]> | undefined): LocalSchema[] {
  if (!byOperation) return schemas;
  const keys = byOperation[operation] ?? [];
  return schemas.filter((s) => keys.includes(schemaKey(s)));
}

/**
 * Decision: the graph's `schemas[]` and the run's local schemas (like the
 * reference's TK_SCHEMA_CONFIG_PATH file) reach every operator's init as module schemas.
 */
function moduleSchemas(graph: GraphDefinition, local: LocalSchema[]): { name: string; contentType: string; content: string }[] {
  return [
    ...(graph.schemas ?? []).map((s) => ({ name: s.name, contentType: s.format, content: s.schema })),
    ...local.map((s) => ({ name: s.name, contentType: s.format === 'json' ? 'application/schema+json' : s.format, content: s.content })),
  ];
}

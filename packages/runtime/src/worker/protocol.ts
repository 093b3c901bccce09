import type { GraphDefinition } from '@wgs/graph-model';
import type { ConnectorMessage } from '@wgs/connectors';
import type { EngineEvent, OperationCounters } from '../engine/graph-engine.ts';
import type { LogRecord } from '../engine/graph-instance.ts';
import type { LocalSchema } from '../host/imports.ts';
import type { PayloadPassing } from '../wit-values.ts';
import type { Flat } from './wire.ts';

/** Everything a worker needs to start a graph (structured-clone safe). */
export interface WorkerInit {
  graph: GraphDefinition;
  registryDir: string;
  baseDir: string;
  configuration: Record<string, string>;
  /** A flattened data flow: each operation's own configuration and, when not `registryDir`, module layout. */
  operationConfiguration?: Record<string, Record<string, string>>;
  operationRegistryDirs?: Record<string, string>;
  stateSeed: [string, string][];
  schemas: LocalSchema[];
  /** Which schemas each operation gets at init (GraphInstanceOptions.operationModuleSchemas). */
  operationModuleSchemas?: Record<string, string[]>;
  payloadPassing: PayloadPassing;
  latenessMs?: number;
  calls: SharedArrayBuffer;
  /** Observed events per operation and kind per second (0: no observation). */
  sampleRate: number;
  /** Linear memory one operator instance may grow to. */
  memoryLimitBytes: number;
}

export type ToWorker =
  | { type: 'init'; init: WorkerInit }
  /** The messages' payloads are spans of `payloads` (transferred), see wire.ts. */
  | { type: 'ingest'; seq: number; messages: Flat; payloads: ArrayBuffer }
  | { type: 'inject'; seq: number; operation: string; message: ConnectorMessage }
  | { type: 'tick'; seq: number; now: number }
  | { type: 'drain'; seq: number }
  | { type: 'status'; seq: number };

export interface WorkerStatus {
  counters: [string, OperationCounters][];
  state?: [string, string][];
  /** Prometheus text; only on tick, drain and status (it is not free). */
  metrics?: string;
  /** Operator counters as values, at most once a second (for previews). */
  metricValues?: { name: string; labels: Record<string, string>; value: number }[];
  openItems: number;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; message: string }
  /** The outputs' byte arrays are spans of `bytes` (transferred), see wire.ts. */
  | { type: 'done'; seq: number; outputs: Flat; bytes: ArrayBuffer; status: WorkerStatus; error?: string }
  | { type: 'error'; event: Extract<EngineEvent, { type: 'error' }> }
  | { type: 'log'; record: LogRecord }
  | { type: 'observe'; events: EngineEvent[] };

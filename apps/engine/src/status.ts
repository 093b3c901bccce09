/**
 * The status the engine writes on a DataflowGraph, in the reference's shape
 * (`provisioningState`, `healthState {status, reasonCode, message,
 * lastTransitionTime, lastUpdateTime}`) plus `observedGeneration`, the
 * artifact digest that runs and message counters. Pure.
 */
import type { OperationCounters } from '@wgs/runtime';
import type { ReasonCode } from './plan.ts';

export type HealthStatus = 'Available' | 'Degraded' | 'Unavailable' | 'Unknown';

export interface GraphStatus {
  provisioningState: 'Succeeded' | 'Failed' | 'Provisioning';
  healthState: { status: HealthStatus; reasonCode: ReasonCode; message: string; lastTransitionTime: string; lastUpdateTime: string };
  observedGeneration?: number;
  artifactDigest?: string;
  /** Totals since this graph (re)started in this engine. */
  counters?: { messagesIn: number; messagesOut: number; dropped: number; errors: number };
  operations?: ({ name: string } & OperationCounters)[];
  engine?: { pod: string };
}

/** What the engine knows about a graph at one moment. */
export interface Observation {
  health: HealthStatus;
  reasonCode: ReasonCode;
  message: string;
  generation?: number;
  digest?: string;
  counters?: Map<string, OperationCounters>;
  /** The graph's source and sink operations (a flattened data flow names them after its nodes); default: names starting with source / sink. */
  ends?: GraphEnds;
  pod: string;
}

export interface GraphEnds {
  sources: string[];
  sinks: string[];
}

export function buildStatus(o: Observation, previous: GraphStatus | undefined, now: Date): GraphStatus {
  const at = now.toISOString();
  const same = previous?.healthState.status === o.health && previous.healthState.reasonCode === o.reasonCode;
  const status: GraphStatus = {
    provisioningState: o.health === 'Unavailable' ? 'Failed' : o.health === 'Unknown' ? 'Provisioning' : 'Succeeded',
    healthState: { status: o.health, reasonCode: o.reasonCode, message: o.message, lastTransitionTime: same ? previous!.healthState.lastTransitionTime : at, lastUpdateTime: at },
    ...(o.generation !== undefined ? { observedGeneration: o.generation } : {}),
    ...(o.digest ? { artifactDigest: o.digest } : {}),
    engine: { pod: o.pod },
  };
  if (o.counters) {
    const ops = [...o.counters].map(([name, c]) => ({ name, ...c }));
    const source = ops.filter((x) => (o.ends ? o.ends.sources.includes(x.name) : x.name.startsWith('source')));
    const sinks = ops.filter((x) => (o.ends ? o.ends.sinks.includes(x.name) : x.name.startsWith('sink')));
    status.counters = {
      messagesIn: source.reduce((n, x) => n + x.in, 0),
      messagesOut: sinks.reduce((n, x) => n + x.in, 0),
      dropped: ops.reduce((n, x) => n + x.dropped, 0),
      errors: ops.reduce((n, x) => n + x.errors, 0),
    };
    status.operations = ops;
  }
  return status;
}

/** Whether a status must be written now: a health change at once, counters at most every `intervalMs`. */
export function shouldWrite(next: GraphStatus, last: { status: GraphStatus; at: number } | undefined, now: number, intervalMs: number): boolean {
  if (!last) return true;
  const h = (s: GraphStatus) => JSON.stringify([s.healthState.status, s.healthState.reasonCode, s.healthState.message, s.observedGeneration, s.artifactDigest]);
  if (h(next) !== h(last.status)) return true;
  return JSON.stringify(next.counters) !== JSON.stringify(last.status.counters) && now - last.at >= intervalMs;
}

import type { PreviewHealth } from '@wgs/api-contract';
/**
 * What the preview socket carries, read defensively: the browser checks the
 * shape of every server message and keeps only what it can show.
 */

export interface Counters {
  in: number;
  out: number;
  dropped: number;
  errors: number;
}

export interface SampleItem {
  /** What the item is; snapshots carry a frame with its format and size. */
  kind?: 'message' | 'snapshot' | 'bytes';
  format?: string;
  width?: number;
  height?: number;
  userProperties?: [string, string][];
  encoding: 'json' | 'text' | 'base64';
  data: string;
  topic?: string;
  timestamp?: string;
  contentType?: string;
  size?: number;
  truncated?: boolean;
}

export interface Sample {
  /** Order of arrival in this page (a stable key). */
  seq: number;
  operation: string;
  event: 'in' | 'out' | 'drop';
  arm?: 'True' | 'False';
  reason?: string;
  at: number;
  item: SampleItem;
}

/** Identical errors of one server update arrive as one entry with their count. */
export interface OperationError {
  operation: string;
  message: string;
  trap: boolean;
  at: number;
  count: number;
}

/** A line an operator logged (through the logger import). */
export interface LogLine {
  operation: string;
  level: string;
  context: string;
  message: string;
  time: number;
}

/** One of an operator's own counters (the metrics import), labelled with its operation. */
export interface MetricValue {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Update {
  counters: Record<string, Counters>;
  samples: Sample[];
  errors: OperationError[];
  logs: LogLine[];
  /** Present when the operators' counters changed: the whole current set. */
  metrics?: MetricValue[];
  paused: boolean;
  skippedWhilePaused: number;
  /** Samples the server dropped since the start, while this page did not keep up (counters are exact regardless). */
  unsentSamples: number;
  /** Sent in the first update and when it changed. */
  health?: PreviewHealth;
}

export type ServerMessage =
  | { type: 'started'; operations: string[] }
  | { type: 'stopped'; reason: string }
  | ({ type: 'update' } & Update)
  | { type: 'injected'; id?: string }
  | { type: 'error'; code: string; message: string; id?: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function readHealth(v: unknown): PreviewHealth | undefined {
  if (!isObject(v) || !isObject(v.graph)) return undefined;
  const g = v.graph;
  const state = g.state === 'running' || g.state === 'restarting' || g.state === 'stopped' ? g.state : undefined;
  if (!state || !isCount(g.restarts) || !isCount(g.failedRestarts)) return undefined;
  const graph: PreviewHealth['graph'] = { state, restarts: g.restarts, failedRestarts: g.failedRestarts, ...(typeof g.lastError === 'string' ? { lastError: g.lastError } : {}) };
  const src = v.source;
  const source = isObject(src) && typeof src.connected === 'boolean' && isCount(src.disconnects) && isCount(src.reconnects)
    ? { connected: src.connected, disconnects: src.disconnects, reconnects: src.reconnects, ...(typeof src.lastError === 'string' ? { lastError: src.lastError } : {}) }
    : undefined;
  return { graph, ...(source ? { source } : {}) };
}

function readCounters(v: unknown): Counters | undefined {
  if (!isObject(v) || !isCount(v.in) || !isCount(v.out) || !isCount(v.dropped) || !isCount(v.errors)) return undefined;
  return { in: v.in, out: v.out, dropped: v.dropped, errors: v.errors };
}

let nextSeq = 1;

const optString = (v: unknown) => (typeof v === 'string' ? v : undefined);
const optCount = (v: unknown) => (isCount(v) ? v : undefined);

function readUserProperties(v: unknown): [string, string][] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((p): p is [string, string] => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && typeof p[1] === 'string');
}

function readSample(v: unknown): Sample | undefined {
  if (!isObject(v) || typeof v.operation !== 'string') return undefined;
  if (v.event !== 'in' && v.event !== 'out' && v.event !== 'drop') return undefined;
  const item = v.item;
  if (!isObject(item) || typeof item.data !== 'string') return undefined;
  if (item.encoding !== 'json' && item.encoding !== 'text' && item.encoding !== 'base64') return undefined;
  return {
    seq: nextSeq++,
    operation: v.operation,
    event: v.event,
    arm: v.arm === 'True' || v.arm === 'False' ? v.arm : undefined,
    reason: typeof v.reason === 'string' ? v.reason : undefined,
    at: typeof v.at === 'number' ? v.at : Date.now(),
    item: {
      kind: item.kind === 'message' || item.kind === 'snapshot' || item.kind === 'bytes' ? item.kind : undefined,
      format: optString(item.format),
      width: optCount(item.width),
      height: optCount(item.height),
      userProperties: readUserProperties(item.userProperties),
      encoding: item.encoding,
      data: item.data,
      topic: typeof item.topic === 'string' ? item.topic : undefined,
      timestamp: typeof item.timestamp === 'string' ? item.timestamp : undefined,
      contentType: typeof item.contentType === 'string' ? item.contentType : undefined,
      size: typeof item.size === 'number' ? item.size : undefined,
      truncated: item.truncated === true,
    },
  };
}

function readError(v: unknown): OperationError | undefined {
  if (!isObject(v) || typeof v.operation !== 'string' || typeof v.message !== 'string') return undefined;
  return { operation: v.operation, message: v.message, trap: v.trap === true, at: typeof v.at === 'number' ? v.at : Date.now(), count: isCount(v.count) && v.count > 0 ? v.count : 1 };
}

function readLog(v: unknown): LogLine | undefined {
  if (!isObject(v) || typeof v.operation !== 'string' || typeof v.message !== 'string') return undefined;
  return { operation: v.operation, level: optString(v.level) ?? 'info', context: optString(v.context) ?? '', message: v.message, time: typeof v.time === 'number' ? v.time : Date.now() };
}

function readMetric(v: unknown): MetricValue | undefined {
  if (!isObject(v) || typeof v.name !== 'string' || typeof v.value !== 'number' || !isObject(v.labels)) return undefined;
  const labels: Record<string, string> = {};
  for (const [k, l] of Object.entries(v.labels)) if (typeof l === 'string') labels[k] = l;
  return { name: v.name, labels, value: v.value };
}

const readList = <T>(v: unknown, read: (x: unknown) => T | undefined): T[] => (Array.isArray(v) ? v : []).map(read).filter((x): x is T => x !== undefined);

/** Parses one frame; a reason instead of a message when it is not one the preview understands. */
export function readServerMessage(raw: unknown): { message: ServerMessage } | { problem: string } {
  if (typeof raw !== 'string') return { problem: 'a binary frame' };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { problem: 'a frame that is not JSON' };
  }
  if (!isObject(v) || typeof v.type !== 'string') return { problem: 'a message without a type' };
  switch (v.type) {
    case 'started':
      if (!Array.isArray(v.operations) || !v.operations.every((o) => typeof o === 'string')) return { problem: 'a "started" message without operations' };
      return { message: { type: 'started', operations: v.operations as string[] } };
    case 'stopped':
      return { message: { type: 'stopped', reason: typeof v.reason === 'string' ? v.reason : 'stopped' } };
    case 'error':
      return { message: { type: 'error', code: typeof v.code === 'string' ? v.code : 'error', message: typeof v.message === 'string' ? v.message : 'unknown error', ...(typeof v.id === 'string' ? { id: v.id } : {}) } };
    case 'injected':
      return { message: { type: 'injected', ...(typeof v.id === 'string' ? { id: v.id } : {}) } };
    case 'update': {
      if (!isObject(v.counters) || !Array.isArray(v.samples)) return { problem: 'an "update" without counters or samples' };
      const counters: Record<string, Counters> = {};
      for (const [op, c] of Object.entries(v.counters)) {
        const read = readCounters(c);
        if (read) counters[op] = read;
      }
      const samples = readList(v.samples, readSample);
      const errors = readList(v.errors, readError);
      const logs = readList(v.logs, readLog);
      const metrics = Array.isArray(v.metrics) ? readList(v.metrics, readMetric) : undefined;
      return { message: { type: 'update', counters, samples, errors, logs, ...(metrics ? { metrics } : {}), paused: v.paused === true, skippedWhilePaused: isCount(v.skippedWhilePaused) ? v.skippedWhilePaused : 0, unsentSamples: isObject(v.unsent) && isCount(v.unsent.samples) ? v.unsent.samples : 0, ...(readHealth(v.health) ? { health: readHealth(v.health) } : {}) } };
    }
    default:
      // Messages this designer does not use yet (e.g. `inspect` answers) are ignored.
      return { problem: `an unknown message type "${v.type}"` };
  }
}

import type { PreviewHealth } from '@wgs/api-contract';
/**
 * The live preview: one WebSocket to /api/preview, the latest exact counters
 * per operation, and bounded buffers of recent samples and errors per
 * operation. Server updates (already one per 100 ms) are applied at most every
 * `flushMs`, so the canvas re-renders at most about ten times a second.
 */
import { create } from 'zustand';
import { readServerMessage, type Counters, type LogLine, type MetricValue, type OperationError, type Sample, type Update } from './messages.ts';
import { nextRates, type RateTick } from './throughput.ts';

export const SAMPLE_LIMIT = 50;
export const ERROR_LIMIT = 50;
export const LOG_LIMIT = 50;
/** Source messages a "Replay after edit" sends through the edited graph. */
export const REPLAY_COUNT = 200;

/** The part of a WebSocket the preview uses (so tests can give a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

const OPEN = 1;

export type PreviewStatus = 'idle' | 'connecting' | 'starting' | 'running' | 'stopped';

/** Where and how a preview runs, beyond the graph: set by whoever opens a graph in context (e.g. a DataflowGraph's transform). */
export interface PreviewContext {
  /** Configuration values the operators receive (the node's parameters). */
  configuration?: Record<string, string>;
  /** The DataflowEndpoint to read from (default: the embedded broker). */
  endpoint?: string;
  /** Topic filters; they replace what is typed in the bar. */
  topics?: string[];
}

export interface StartOptions {
  configuration?: Record<string, string>;
  /** Topic filters; default: the typed ones. */
  sources?: string[];
  endpoint?: string;
  /** Replay this many recent source messages of the previous session (same connection) into this one. */
  replay?: number;
  /** The text is a DataflowGraph manifest: the whole data flow runs on its Source nodes' topics (operations `<node>/<op>`). */
  dataflow?: boolean;
}

/** A message to inject at the source, as the contract carries it. */
export interface InjectMessage {
  topic: string;
  payload: string;
  encoding?: 'text' | 'base64';
  userProperties?: [string, string][];
  contentType?: string;
}

export interface InjectState {
  id: string;
  status: 'sending' | 'sent' | 'failed';
  problem?: string;
}

export interface PreviewData {
  status: PreviewStatus;
  paused: boolean;
  /** The topic filters, as typed (comma or space separated). */
  topics: string;
  operations: string[];
  counters: Record<string, Counters>;
  samples: Record<string, Sample[]>;
  errors: Record<string, OperationError[]>;
  /** Recent operator log lines per operation. */
  logs: Record<string, LogLine[]>;
  /** The operators' own counters per operation (latest values). */
  metrics: Record<string, MetricValue[]>;
  /** Messages per second into each operation, one point per second (see throughput.ts). */
  rates: Record<string, number[]>;
  skippedWhilePaused: number;
  /** Samples the server did not send while this page was behind. */
  unsentSamples: number;
  /** The graph's and the source's state as the server last reported it. */
  health?: PreviewHealth;
  context: PreviewContext;
  /** The last injection and what became of it. */
  injection?: InjectState;
  /** The last problem: a server `error`, a bad frame, a lost connection. */
  problem?: string;
}

export interface PreviewState extends PreviewData {
  setTopics(topics: string): void;
  /**
   * Another graph was opened: stops what runs, forgets the old graph's samples
   * and counters (its node names may recur in the new one), and takes `context`;
   * the topics are the context's, else the defaults (`setDefaults`).
   */
  reset(context?: PreviewContext): void;
  /** What the server said: the topics a definition opened alone is previewed on, and how often a visible page pings. */
  setDefaults(defaults: { topics?: string[]; keepAliveMs?: number }): void;
  /** Sets the context later starts use; topics given here replace the typed ones. */
  setContext(context: PreviewContext): void;
  /** Starts (or restarts) the preview; options win over the context, which wins over the typed topics. */
  start(url: string, graph: string, options?: StartOptions): void;
  /** Sends a message into the source of the running preview. */
  inject(message: InjectMessage): void;
  stop(): void;
  pause(): void;
  resume(): void;
  clear(): void;
  /** One frame from the socket (public for tests). */
  receive(raw: unknown): void;
  /** Applies the queued updates now. */
  flush(): void;
  /** Adds one point to every throughput history (public for tests; a timer calls it every second while running). */
  tick(): void;
}

/** Topic filters from the input: separated by commas or white space. */
export function parseTopics(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** Appends to a buffer, keeping only the newest `limit` entries (a new array, so selectors see the change). */
function bounded<T>(previous: T[] | undefined, added: T[], limit: number): T[] {
  const all = previous ? [...previous, ...added] : added.slice();
  return all.length > limit ? all.slice(all.length - limit) : all;
}

const sameCounters = (a: Counters | undefined, b: Counters) => !!a && a.in === b.in && a.out === b.out && a.dropped === b.dropped && a.errors === b.errors;

/**
 * The state after some updates. Counters are totals: the newest wins, and an
 * operation's counters keep their identity when unchanged (its node does not re-render).
 */
type Applied = Pick<PreviewData, 'counters' | 'samples' | 'errors' | 'logs' | 'metrics' | 'paused' | 'skippedWhilePaused' | 'unsentSamples'> & { health?: PreviewHealth };

/** Appends entries per operation to bounded per-operation buffers; untouched operations keep their arrays. */
function appendByOperation<T extends { operation: string }>(state: Record<string, T[]>, entries: T[], limit: number): Record<string, T[]> {
  if (!entries.length) return state;
  const added = new Map<string, T[]>();
  for (const e of entries) {
    const list = added.get(e.operation);
    if (list) list.push(e);
    else added.set(e.operation, [e]);
  }
  const out = { ...state };
  for (const [op, list] of added) out[op] = bounded(out[op], list, limit);
  return out;
}

/** The operators' counters grouped by the `operation` label; an operation whose values did not change keeps its array. */
function metricsByOperation(previous: Record<string, MetricValue[]>, metrics: MetricValue[]): Record<string, MetricValue[]> {
  const grouped: Record<string, MetricValue[]> = {};
  for (const m of metrics) {
    const op = m.labels.operation;
    if (op !== undefined) (grouped[op] ??= []).push(m);
  }
  for (const [op, list] of Object.entries(grouped)) {
    if (previous[op] && JSON.stringify(previous[op]) === JSON.stringify(list)) grouped[op] = previous[op];
  }
  return grouped;
}

/**
 * The state after some updates: O(size of the updates), whatever the message
 * rate, since the server already samples and batches.
 */
export function applyUpdates(state: Pick<PreviewData, 'counters' | 'samples' | 'errors'> & Partial<Pick<PreviewData, 'logs' | 'metrics'>>, updates: Update[], limits: { samples: number; errors: number; logs?: number } = { samples: SAMPLE_LIMIT, errors: ERROR_LIMIT, logs: LOG_LIMIT }): Applied | undefined {
  const last = updates[updates.length - 1];
  if (!last) return undefined;
  const counters: Record<string, Counters> = {};
  for (const [op, c] of Object.entries(last.counters)) counters[op] = sameCounters(state.counters[op], c) ? state.counters[op]! : c;
  const samples = appendByOperation(state.samples, updates.flatMap((u) => u.samples), limits.samples);
  const errors = appendByOperation(state.errors, updates.flatMap((u) => u.errors), limits.errors);
  const logs = appendByOperation(state.logs ?? {}, updates.flatMap((u) => u.logs ?? []), limits.logs ?? LOG_LIMIT);
  const newestMetrics = updates.findLast((u) => u.metrics)?.metrics;
  const metrics = newestMetrics ? metricsByOperation(state.metrics ?? {}, newestMetrics) : (state.metrics ?? {});
  const health = updates.findLast((u) => u.health)?.health;
  return { counters, samples, errors, logs, metrics, paused: last.paused, skippedWhilePaused: last.skippedWhilePaused, unsentSamples: last.unsentSamples, ...(health ? { health } : {}) };
}

const empty = (): Pick<PreviewData, 'counters' | 'samples' | 'errors' | 'logs' | 'metrics' | 'rates' | 'skippedWhilePaused' | 'unsentSamples' | 'health'> => ({ counters: {}, samples: {}, errors: {}, logs: {}, metrics: {}, rates: {}, skippedWhilePaused: 0, unsentSamples: 0, health: undefined });

let injectSeq = 0;

export interface PreviewStoreOptions {
  socket?: (url: string) => SocketLike;
  flushMs?: number;
  /** Throughput points are taken this often (default 1000 ms). */
  rateMs?: number;
  /** Whether the page is on screen (default: document.visibilityState); only then does it keep the session alive. */
  isVisible?: () => boolean;
}

/** Topics before the server said what its simulator publishes. */
const FALLBACK_TOPICS = ['sensor/#'];
/** The server ends a session after 10 minutes without a message (its default `previewIdleMs`); a visible page pings well within that. */
const DEFAULT_KEEP_ALIVE_MS = 60_000;

export function createPreviewStore(o: PreviewStoreOptions = {}) {
  const open = o.socket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const flushMs = o.flushMs ?? 100;
  let socket: SocketLike | undefined;
  let pending: Update[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = 0;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let lastTick: RateTick | undefined;
  const rateMs = o.rateMs ?? 1000;
  const isVisible = o.isVisible ?? (() => typeof document === 'undefined' || document.visibilityState === 'visible');
  let defaultTopics = FALLBACK_TOPICS;
  let keepAliveMs = DEFAULT_KEEP_ALIVE_MS;
  let keepAlive: ReturnType<typeof setInterval> | undefined;

  return create<PreviewState>((set, get) => {
    const send = (command: object) => {
      if (socket?.readyState === OPEN) socket.send(JSON.stringify(command));
    };
    const schedule = () => {
      if (timer) return;
      const wait = Math.max(0, lastFlush + flushMs - Date.now());
      timer = setTimeout(() => get().flush(), wait);
    };
    const drop = () => {
      pending = [];
      if (timer) clearTimeout(timer);
      timer = undefined;
    };
    const stopTicker = () => {
      if (ticker) clearInterval(ticker);
      ticker = undefined;
      lastTick = undefined;
    };
    const startTicker = () => {
      stopTicker();
      lastTick = { counters: get().counters, at: Date.now() };
      ticker = setInterval(() => get().tick(), rateMs);
    };
    // While a session is open and the page visible, a ping now and then: the server ends idle sessions.
    const stopKeepAlive = () => {
      if (keepAlive) clearInterval(keepAlive);
      keepAlive = undefined;
    };
    const startKeepAlive = () => {
      stopKeepAlive();
      keepAlive = setInterval(() => {
        if (isVisible()) send({ type: 'ping' });
      }, keepAliveMs);
    };
    // Back on screen: tell the server at once, the interval may be a while off.
    if (typeof document !== 'undefined' && !o.isVisible) {
      document.addEventListener('visibilitychange', () => {
        if (keepAlive && isVisible()) send({ type: 'ping' });
      });
    }
    const failInjection = (id: string | undefined, problem: string) => {
      const current = get().injection;
      if (current && (id === undefined || current.id === id)) set({ injection: { ...current, status: 'failed', problem } });
    };
    return {
      status: 'idle',
      paused: false,
      topics: FALLBACK_TOPICS.join(', '),
      operations: [],
      context: {},
      ...empty(),
      setTopics(topics) {
        set({ topics });
      },
      reset(context = {}) {
        const { status } = get();
        if (status !== 'idle' && status !== 'stopped') get().stop();
        drop();
        stopTicker();
        set({ ...empty(), status: 'idle', paused: false, problem: undefined, operations: [], injection: undefined, context, topics: (context.topics?.length ? context.topics : defaultTopics).join(', ') });
      },
      setDefaults({ topics, keepAliveMs: ms }) {
        if (ms && ms > 0) keepAliveMs = ms;
        if (!topics?.length) return;
        // Typed or given by a context: kept. Still the old default: follows the new one.
        if (get().topics === defaultTopics.join(', ')) set({ topics: topics.join(', ') });
        defaultTopics = topics;
      },
      setContext(context) {
        set({ context, ...(context.topics?.length ? { topics: context.topics.join(', ') } : {}) });
      },
      start(url, graph, options = {}) {
        const { context } = get();
        const sources = options.sources ?? parseTopics(get().topics);
        if (!sources.length && !options.dataflow) return set({ problem: 'give at least one topic filter' });
        const configuration = options.configuration ?? context.configuration;
        const endpoint = options.endpoint ?? context.endpoint;
        const command = options.dataflow ? { type: 'start', dataflow: graph, ...(options.replay ? { replay: options.replay } : {}) } : {
          type: 'start',
          graph,
          sources,
          ...(configuration && Object.keys(configuration).length ? { configuration } : {}),
          ...(endpoint ? { endpoint } : {}),
          ...(options.replay ? { replay: options.replay } : {}),
        };
        drop();
        stopTicker();
        startKeepAlive();
        set({ ...empty(), status: socket?.readyState === OPEN ? 'starting' : 'connecting', paused: false, problem: undefined, operations: [] });
        if (socket?.readyState === OPEN) return send(command);
        const s = open(url);
        socket = s;
        s.onopen = () => {
          // Stopped while connecting: nothing to start.
          if (socket !== s || get().status !== 'connecting') return;
          set({ status: 'starting' });
          s.send(JSON.stringify(command));
        };
        s.onmessage = (ev) => {
          if (socket === s) get().receive(ev.data);
        };
        s.onerror = () => {
          if (socket === s) set({ problem: 'the preview connection failed' });
        };
        s.onclose = (ev) => {
          if (socket !== s) return;
          socket = undefined;
          stopTicker();
          stopKeepAlive();
          get().flush();
          const { status } = get();
          // The server says why it closed (e.g. too many preview connections).
          const reason = (ev as { reason?: unknown } | undefined)?.reason;
          const closed = typeof reason === 'string' && reason ? `the preview connection closed: ${reason}` : 'the preview connection closed';
          if (status !== 'idle' && status !== 'stopped') set({ status: 'stopped', problem: get().problem ?? closed });
        };
      },
      stop() {
        send({ type: 'stop' });
        stopTicker();
        stopKeepAlive();
        get().flush();
        set({ status: 'stopped', paused: false });
      },
      pause() {
        send({ type: 'pause' });
        set({ paused: true });
      },
      resume() {
        send({ type: 'resume' });
        set({ paused: false });
      },
      clear() {
        send({ type: 'clear' });
        drop();
        set(empty());
        if (ticker) lastTick = { counters: {}, at: Date.now() };
      },
      inject(message) {
        const id = `i${++injectSeq}`;
        if (get().status !== 'running' || socket?.readyState !== OPEN) {
          return set({ injection: { id, status: 'failed', problem: 'the preview is not running: start it first' } });
        }
        set({ injection: { id, status: 'sending' } });
        send({ type: 'inject', id, message });
      },
      tick() {
        get().flush();
        const at = Date.now();
        const { counters, rates } = get();
        const next = nextRates(rates, lastTick, counters, at);
        lastTick = { counters, at };
        if (Object.keys(next).some((op) => next[op] !== rates[op]) || Object.keys(next).length !== Object.keys(rates).length) set({ rates: next });
      },
      receive(raw) {
        const read = readServerMessage(raw);
        if ('problem' in read) return set({ problem: `the server sent ${read.problem}` });
        const m = read.message;
        switch (m.type) {
          case 'update':
            if (get().status === 'stopped' || get().status === 'idle') return;
            // Bounded even if flushes stop: only the newest updates matter for counters, and samples are bounded per operation anyway.
            pending.push(m);
            if (pending.length > 100) pending.splice(0, pending.length - 100);
            return schedule();
          case 'started':
            // Stopped while the server was starting it: stop it again now that it runs.
            if (get().status === 'stopped') return send({ type: 'stop' });
            get().flush();
            set({ status: 'running', operations: m.operations, problem: undefined });
            return startTicker();
          case 'injected': {
            const current = get().injection;
            if (current && (m.id === undefined || current.id === m.id)) set({ injection: { ...current, status: 'sent' } });
            return;
          }
          case 'stopped':
            stopTicker();
            stopKeepAlive();
            get().flush();
            return set({ status: 'stopped', paused: false, problem: m.reason === 'stopped by the client' ? get().problem : `preview stopped: ${m.reason}` });
          case 'error':
            get().flush();
            // An error answering an injection (it carries the injection's id) is shown with the inject form.
            if (m.id !== undefined) return failInjection(m.id, `${m.code}: ${m.message}`);
            // A failed start leaves nothing running; other errors leave the session as it was.
            return set({ problem: `${m.code}: ${m.message}`, ...(get().status === 'starting' ? { status: 'stopped' as const } : {}) });
        }
      },
      flush() {
        if (timer) clearTimeout(timer);
        timer = undefined;
        lastFlush = Date.now();
        const updates = pending;
        pending = [];
        const next = applyUpdates(get(), updates);
        if (next) set(next);
      },
    };
  });
}

/** The designer's preview (the socket opens on the first start). */
export const usePreview = createPreviewStore();

/** Whether node badges show: while a preview runs (or is paused). */
export const previewActive = (s: Pick<PreviewData, 'status'>) => s.status === 'running';

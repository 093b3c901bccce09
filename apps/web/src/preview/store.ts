/**
 * The live preview: one WebSocket to /api/preview, the latest exact counters
 * per operation, and bounded buffers of recent samples and errors per
 * operation. Server updates (already one per 100 ms) are applied at most every
 * `flushMs`, so the canvas re-renders at most about ten times a second.
 */
import { create } from 'zustand';
import { readServerMessage, type Counters, type OperationError, type Sample, type Update } from './messages.ts';

export const SAMPLE_LIMIT = 50;
export const ERROR_LIMIT = 50;

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

export interface PreviewData {
  status: PreviewStatus;
  paused: boolean;
  /** The topic filters, as typed (comma or space separated). */
  topics: string;
  operations: string[];
  counters: Record<string, Counters>;
  samples: Record<string, Sample[]>;
  errors: Record<string, OperationError[]>;
  skippedWhilePaused: number;
  /** The last problem: a server `error`, a bad frame, a lost connection. */
  problem?: string;
}

export interface PreviewState extends PreviewData {
  setTopics(topics: string): void;
  start(url: string, graph: string): void;
  stop(): void;
  pause(): void;
  resume(): void;
  clear(): void;
  /** One frame from the socket (public for tests). */
  receive(raw: unknown): void;
  /** Applies the queued updates now. */
  flush(): void;
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
export function applyUpdates(state: Pick<PreviewData, 'counters' | 'samples' | 'errors'>, updates: Update[], limits = { samples: SAMPLE_LIMIT, errors: ERROR_LIMIT }): Pick<PreviewData, 'counters' | 'samples' | 'errors' | 'paused' | 'skippedWhilePaused'> | undefined {
  const last = updates[updates.length - 1];
  if (!last) return undefined;
  const counters: Record<string, Counters> = {};
  for (const [op, c] of Object.entries(last.counters)) counters[op] = sameCounters(state.counters[op], c) ? state.counters[op]! : c;
  const newSamples = new Map<string, Sample[]>();
  const newErrors = new Map<string, OperationError[]>();
  for (const u of updates) {
    for (const s of u.samples) newSamples.set(s.operation, [...(newSamples.get(s.operation) ?? []), s]);
    for (const e of u.errors) newErrors.set(e.operation, [...(newErrors.get(e.operation) ?? []), e]);
  }
  const samples = { ...state.samples };
  for (const [op, added] of newSamples) samples[op] = bounded(samples[op], added, limits.samples);
  const errors = { ...state.errors };
  for (const [op, added] of newErrors) errors[op] = bounded(errors[op], added, limits.errors);
  return { counters, samples, errors, paused: last.paused, skippedWhilePaused: last.skippedWhilePaused };
}

const empty = (): Pick<PreviewData, 'counters' | 'samples' | 'errors' | 'skippedWhilePaused'> => ({ counters: {}, samples: {}, errors: {}, skippedWhilePaused: 0 });

export interface PreviewStoreOptions {
  socket?: (url: string) => SocketLike;
  flushMs?: number;
}

export function createPreviewStore(o: PreviewStoreOptions = {}) {
  const open = o.socket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const flushMs = o.flushMs ?? 100;
  let socket: SocketLike | undefined;
  let pending: Update[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = 0;

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
    return {
      status: 'idle',
      paused: false,
      topics: 'sensor/#',
      operations: [],
      ...empty(),
      setTopics(topics) {
        set({ topics });
      },
      start(url, graph) {
        const sources = parseTopics(get().topics);
        if (!sources.length) return set({ problem: 'give at least one topic filter' });
        const command = { type: 'start', graph, sources };
        drop();
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
        s.onclose = () => {
          if (socket !== s) return;
          socket = undefined;
          get().flush();
          const { status } = get();
          if (status !== 'idle' && status !== 'stopped') set({ status: 'stopped', problem: get().problem ?? 'the preview connection closed' });
        };
      },
      stop() {
        send({ type: 'stop' });
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
            return set({ status: 'running', operations: m.operations, problem: undefined });
          case 'stopped':
            get().flush();
            return set({ status: 'stopped', paused: false, problem: m.reason === 'stopped by the client' ? get().problem : `preview stopped: ${m.reason}` });
          case 'error':
            get().flush();
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

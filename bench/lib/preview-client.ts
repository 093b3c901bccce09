/**
 * A live-preview client over a real WebSocket (the `ws` package, loaded from
 * @wgs/server's own devDependency, as mqtt-client.ts loads mqtt.js), with the
 * small typed surface the benchmarks use. Every server message is handed on
 * with its arrival time (performance.now(), taken before parsing).
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', cb: (data: Buffer, isBinary: boolean) => void): unknown;
  once(event: 'open', cb: () => void): unknown;
  once(event: 'close', cb: (code: number) => void): unknown;
  once(event: 'error', cb: (e: Error) => void): unknown;
  once(event: 'unexpected-response', cb: (req: unknown, res: { statusCode?: number }) => void): unknown;
}

type WebSocketClass = new (url: string, opts?: { headers?: Record<string, string> }) => WebSocketLike;

const OPEN = 1;
const CLOSED = 3;

let mod: Promise<WebSocketClass> | undefined;

function load(): Promise<WebSocketClass> {
  if (!mod) {
    const require = createRequire(new URL('../../apps/server/package.json', import.meta.url));
    const path = require.resolve('ws');
    mod = import(pathToFileURL(path).href).then((ns: { default?: WebSocketClass }) => {
      if (typeof ns.default !== 'function') throw new Error(`ws (${path}) has no default export`);
      return ns.default;
    });
  }
  return mod;
}

/** What the server sends (see PreviewServerMessage in @wgs/api-contract and PreviewUpdate in the runtime). */
export interface ServerMessage {
  type: string;
  counters?: Record<string, { in: number; out: number; dropped: number; errors: number }>;
  samples?: {
    operation: string;
    event: string;
    item: { userProperties?: [string, string][]; data: string; encoding: string };
  }[];
  errors?: unknown[];
  code?: string;
  message?: string;
}

export interface PreviewClient {
  send(m: unknown): void;
  /** Resolves with the first message (from now on) that matches, or rejects after `ms`. */
  waitFor(pred: (m: ServerMessage) => boolean, ms: number, what: string): Promise<ServerMessage>;
  close(): Promise<void>;
}

/** Opens ws://<host>/api/preview?token=...; `onMessage` sees every parsed message with its arrival time. */
export async function connectPreview(base: string, token: string, onMessage: (m: ServerMessage, arrivedAt: number) => void = () => {}): Promise<PreviewClient> {
  const WebSocket = await load();
  const ws = new WebSocket(`ws://${base}/api/preview?token=${encodeURIComponent(token)}`);
  const waiters = new Set<{ pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }>();
  let lastError: string | undefined;
  ws.on('message', (data) => {
    const arrivedAt = performance.now();
    const m = JSON.parse(data.toString()) as ServerMessage;
    if (m.type === 'error') lastError = `${m.code}: ${m.message}`;
    onMessage(m, arrivedAt);
    for (const w of waiters) {
      if (w.pred(m)) {
        waiters.delete(w);
        w.resolve(m);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`preview WebSocket ${base}: not open within 5 s`));
    }, 5000);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      ws.terminate();
      reject(new Error(`preview WebSocket ${base}: HTTP ${res.statusCode}`));
    });
    ws.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`preview WebSocket ${base}: ${e.message}`));
    });
  });
  return {
    send: (m) => ws.send(JSON.stringify(m)),
    waitFor: (pred, ms, what) => new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve: (m: ServerMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`preview: no ${what} within ${ms} ms${lastError ? ` (last error from the server: ${lastError})` : ''}`));
      }, ms);
      waiters.add(w);
    }),
    close: () => new Promise<void>((resolve) => {
      if (ws.readyState === CLOSED) return resolve();
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 2000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === OPEN) ws.close(1000, 'bench done');
      else ws.terminate();
    }),
  };
}

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ServerConfig {
  host: string;
  port: number;
  /** Bearer token for the API and the preview WebSocket. */
  token: string;
  /** Folder of the embedded store (used when no cluster is configured). */
  storeDir: string;
  /** Kubeconfig of the cluster to persist to / deploy to; undefined = embedded store only. */
  kubeconfig?: string;
  /** 'cluster' (default): graphs are kept in the cluster itself; 'embedded': drafts stay in the embedded store and deploys go to the cluster. */
  drafts: 'cluster' | 'embedded';
  namespace: string;
  /** Broker the preview reads from (the embedded one by default). */
  brokerUrl?: string;
  /**
   * The origins the designer is opened from, the only ones whose pages may
   * open the preview WebSocket (WGS_PUBLIC_ORIGIN, comma-separated). Empty:
   * http://127.0.0.1:<port> and http://localhost:<port> of the bound port.
   * Never derived from the request's Host header, which a DNS-rebinding page controls.
   */
  allowedOrigins: string[];
  /** Preview WebSockets open at once; more are closed at once with 1013 and a reason. */
  maxPreviewConnections: number;
  /** Bytes a preview client may leave unread before its updates are held and coalesced (counts stay exact, samples are dropped and counted). */
  previewSendBufferLimit: number;
  bodyLimit: number;
  injectLimit: number;
  previewIdleMs: number;
  /**
   * A preview's samples, errors and logs reach the browser within this many
   * ms of the previous update (WGS_PREVIEW_FLUSH_GAP_MS; `off` keeps to the
   * 100 ms counter interval, as before).
   */
  previewFlushGapMs: number;
  maxPreviewSessions: number;
  logLevel: string;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The token comes from WGS_TOKEN, else from `<state>/token`, else it is
 * generated there on first start (and printed by main, that once only).
 */
export async function loadToken(stateDir: string): Promise<{ token: string; generated: boolean; from: string }> {
  if (process.env.WGS_TOKEN) return { token: process.env.WGS_TOKEN, generated: false, from: 'the WGS_TOKEN environment variable' };
  const file = join(stateDir, 'token');
  try {
    return { token: (await readFile(file, 'utf8')).trim(), generated: false, from: file };
  } catch {
    const token = randomBytes(24).toString('base64url');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return { token, generated: true, from: file };
  }
}

export function defaultConfig(overrides: Partial<ServerConfig> & { token: string }): ServerConfig {
  return {
    host: process.env.WGS_HOST ?? '127.0.0.1',
    port: Number(process.env.WGS_PORT ?? 8420),
    storeDir: process.env.WGS_STORE_DIR ?? join(root, '.wgs', 'store'),
    kubeconfig: process.env.WGS_KUBECONFIG,
    drafts: process.env.WGS_DRAFTS === 'embedded' ? 'embedded' : 'cluster',
    namespace: process.env.WGS_NAMESPACE ?? 'azure-iot-operations',
    allowedOrigins: parseOrigins(process.env.WGS_PUBLIC_ORIGIN ?? ''),
    maxPreviewConnections: Number(process.env.WGS_MAX_PREVIEW_CONNECTIONS ?? 32),
    previewSendBufferLimit: 1024 * 1024,
    bodyLimit: 1024 * 1024,
    injectLimit: 256 * 1024,
    previewIdleMs: Number(process.env.WGS_PREVIEW_IDLE_MS ?? 10 * 60 * 1000),
    previewFlushGapMs: process.env.WGS_PREVIEW_FLUSH_GAP_MS === 'off' ? Infinity : Number(process.env.WGS_PREVIEW_FLUSH_GAP_MS ?? 25),
    maxPreviewSessions: 8,
    logLevel: process.env.WGS_LOG_LEVEL ?? 'info',
    ...overrides,
  };
}

/** Where the generated token is kept (WGS_STATE_DIR, else .wgs of this checkout). */
export const STATE_DIR = process.env.WGS_STATE_DIR ?? join(root, '.wgs');

/** `a, b` → their serialized origins (`https://Host:443/` → `https://host`), as browsers send them. */
export function parseOrigins(list: string): string[] {
  return list.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    const origin = URL.canParse(o) ? new URL(o).origin : 'null';
    if (origin === 'null') throw new Error(`WGS_PUBLIC_ORIGIN: "${o}" is not an http(s) origin such as https://studio.example.com`);
    return origin;
  });
}

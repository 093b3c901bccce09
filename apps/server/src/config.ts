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
  /** Origins allowed to open the preview WebSocket (besides the server's own). */
  allowedOrigins: string[];
  bodyLimit: number;
  injectLimit: number;
  previewIdleMs: number;
  maxPreviewSessions: number;
  logLevel: string;
}

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The token comes from WGS_TOKEN, else from `<state>/token`, else it is
 * generated there on first start (and printed by main).
 */
export async function loadToken(stateDir: string): Promise<{ token: string; generated: boolean }> {
  if (process.env.WGS_TOKEN) return { token: process.env.WGS_TOKEN, generated: false };
  const file = join(stateDir, 'token');
  try {
    return { token: (await readFile(file, 'utf8')).trim(), generated: false };
  } catch {
    const token = randomBytes(24).toString('base64url');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return { token, generated: true };
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
    allowedOrigins: (process.env.WGS_ALLOWED_ORIGINS ?? '').split(',').filter(Boolean),
    bodyLimit: 1024 * 1024,
    injectLimit: 256 * 1024,
    previewIdleMs: 10 * 60 * 1000,
    maxPreviewSessions: 8,
    logLevel: process.env.WGS_LOG_LEVEL ?? 'info',
    ...overrides,
  };
}

export const STATE_DIR = join(root, '.wgs');

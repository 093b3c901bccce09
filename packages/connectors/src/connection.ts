/**
 * What a connector reports about its broker connection: events as they happen
 * (for logs and the preview) and running totals (for /metrics). Shared by the
 * MQTT and Kafka connectors so every caller reads them the same way.
 */
export interface ConnectionEvent {
  /** The connector's description (endpoint URL, role, topics). */
  connector: string;
  type: 'connected' | 'disconnected' | 'reconnecting';
  /** Why the connection dropped (disconnected), or the last failure (reconnecting). */
  reason?: string;
  /** Reconnect attempt number since the connection was lost (reconnecting, connected). */
  attempt?: number;
  /** How long until this attempt (reconnecting). */
  delayMs?: number;
}

export interface ConnectionStats {
  connected: boolean;
  /** Connections lost after the first successful connect. */
  disconnects: number;
  /** Connections re-established after a loss. */
  reconnects: number;
  lastError?: string;
}

export type ConnectionListener = (e: ConnectionEvent) => void;

/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s … up to `maxMs`. */
export function backoffDelay(attempt: number, maxMs = 10_000, baseMs = 250): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // ±20 % so that many clients do not reconnect in lockstep after a broker restart.
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

/** Keeps the totals and forwards events to the listener. */
export class ConnectionTracker {
  readonly stats: ConnectionStats = { connected: false, disconnects: 0, reconnects: 0 };
  private everConnected = false;

  constructor(private readonly connector: () => string, private readonly listener?: ConnectionListener) {}

  connected(attempt?: number): void {
    if (this.everConnected && !this.stats.connected) this.stats.reconnects++;
    const first = !this.everConnected;
    this.everConnected = true;
    this.stats.connected = true;
    if (!first) this.listener?.({ connector: this.connector(), type: 'connected', attempt });
  }

  disconnected(reason: string): void {
    if (!this.stats.connected) return;
    this.stats.connected = false;
    this.stats.disconnects++;
    this.stats.lastError = reason;
    this.listener?.({ connector: this.connector(), type: 'disconnected', reason });
  }

  reconnecting(attempt: number, delayMs: number, reason?: string): void {
    if (reason) this.stats.lastError = reason;
    this.listener?.({ connector: this.connector(), type: 'reconnecting', attempt, delayMs, reason });
  }
}

/** Prometheus lines for connectors' stats (`wgs run`'s /metrics, the engine). */
export function connectionMetrics(rows: { role: string; connector: string; stats: ConnectionStats }[]): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const lines = [
    '# HELP wgs_connector_connected 1 while the connector is connected to its broker.',
    '# TYPE wgs_connector_connected gauge',
    ...rows.map((r) => `wgs_connector_connected{role="${r.role}",connector="${esc(r.connector)}"} ${r.stats.connected ? 1 : 0}`),
    '# HELP wgs_connector_disconnects_total Broker connections lost after the first connect.',
    '# TYPE wgs_connector_disconnects_total counter',
    ...rows.map((r) => `wgs_connector_disconnects_total{role="${r.role}",connector="${esc(r.connector)}"} ${r.stats.disconnects}`),
    '# HELP wgs_connector_reconnects_total Broker connections re-established after a loss.',
    '# TYPE wgs_connector_reconnects_total counter',
    ...rows.map((r) => `wgs_connector_reconnects_total{role="${r.role}",connector="${esc(r.connector)}"} ${r.stats.reconnects}`),
  ];
  return `${lines.join('\n')}\n`;
}

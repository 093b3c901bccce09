/**
 * The API server as its own process, for bench/preview-latency.ts: buildApp
 * with a temporary FileStore, the broker given in WGS_BENCH_BROKER_URL and
 * token auth (WGS_BENCH_TOKEN), listening on 127.0.0.1:0. Forked with an IPC
 * channel (and --expose-gc); it answers the parent's requests:
 *
 *   { type: 'memory', id }  ->  { type: 'memory', id, usage, gc }  (process.memoryUsage() after gc when exposed)
 *   { type: 'stop' }        ->  closes the server and exits
 *
 * and tells the parent `{ type: 'ready', port }` once it listens. It exits on
 * its own when the parent goes away (the IPC channel closes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '../../packages/cluster-store/src/index.ts';
import { buildApp, defaultConfig } from '../../apps/server/src/index.ts';
import { sleep } from './stats.ts';

export interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export type ToServerChild = { type: 'memory'; id: number } | { type: 'stop' };
export type FromServerChild =
  | { type: 'ready'; port: number; gc: boolean }
  | { type: 'memory'; id: number; usage: MemoryUsage; gc: boolean }
  | { type: 'failed'; message: string };

function send(m: FromServerChild): void {
  process.send?.(m);
}

/** Collects garbage in this (main) thread when --expose-gc is on; worker heaps are not reachable from here. */
async function collect(): Promise<boolean> {
  const gc = globalThis.gc;
  if (!gc) return false;
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(20);
  }
  return true;
}

async function main(): Promise<void> {
  const brokerUrl = process.env.WGS_BENCH_BROKER_URL;
  const token = process.env.WGS_BENCH_TOKEN;
  const maxSessions = Number(process.env.WGS_BENCH_MAX_SESSIONS ?? 8);
  if (!brokerUrl || !token || !process.send) throw new Error('run by bench/preview-latency.ts (needs WGS_BENCH_BROKER_URL, WGS_BENCH_TOKEN and an IPC channel)');
  const storeDir = mkdtempSync(join(tmpdir(), 'wgs-bench-store-'));
  const config = defaultConfig({
    token,
    host: '127.0.0.1',
    port: 0,
    storeDir,
    brokerUrl,
    logLevel: 'silent',
    maxPreviewSessions: maxSessions,
    previewIdleMs: 5 * 60_000,
  });
  const app = await buildApp(config, { store: new FileStore(storeDir) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(code), 10_000);
    force.unref();
    await app.close().catch(() => {});
    rmSync(storeDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('message', (m: ToServerChild) => {
    if (m.type === 'stop') void stop(0);
    else if (m.type === 'memory') {
      void collect().then((gc) => {
        const u = process.memoryUsage();
        send({ type: 'memory', id: m.id, gc, usage: { rss: u.rss, heapTotal: u.heapTotal, heapUsed: u.heapUsed, external: u.external, arrayBuffers: u.arrayBuffers } });
      });
    }
  });
  process.once('disconnect', () => void stop(0));
  send({ type: 'ready', port: (app.server.address() as { port: number }).port, gc: typeof globalThis.gc === 'function' });
}

main().catch((e: Error) => {
  send({ type: 'failed', message: e.stack ?? e.message });
  process.exit(1);
});

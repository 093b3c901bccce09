/**
 * A preview client that never reads, against the real server, a real
 * Mosquitto and a graph whose every message errors (32 `faulty` maps side by
 * side; each message carries a 4 KiB user property, so the samples are
 * sizeable too, and 3,000 messages are far more than the kernel's socket buffers hold): the server's memory stays flat, and once the client reads
 * again it gets exact counters, every error counted in aggregated entries,
 * and the number of samples it missed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import type { PreviewErrorEntry, PreviewServerMessage } from '@wgs/api-contract';
import { FileStore } from '@wgs/cluster-store';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';

const TOKEN = 'backpressure-token';
const FAN_OUT = 32;
const MESSAGES = 3000;
/** What the graph keeps up with here, so what could pile up is what goes out, not what comes in. */
const RATE = 300;
const PAD = 'x'.repeat(4096);

const maps = Array.from({ length: FAN_OUT }, (_, i) => `faulty-${i}`);
const GRAPH = `
metadata: { $schema: x, name: all-errors, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
${maps.map((m) => `  - { operationType: map, name: ${m}, module: wgs-samples/faulty:1.0.0 }`).join('\n')}
  - { operationType: sink, name: sink }
connections:
${maps.map((m) => `  - { from: { name: source }, to: { name: ${m} } }\n  - { from: { name: ${m} }, to: { name: sink } }`).join('\n')}
`;

// The test measures this process, which runs the server: collect garbage before each reading.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const serverMemory = () => {
  gc();
  const m = process.memoryUsage();
  return { heapAndBuffers: m.heapUsed + m.external, rss: m.rss };
};

let app: FastifyInstance;
let broker: Broker;
let port: number;
beforeAll(async () => {
  broker = await startMosquitto();
  const config = defaultConfig({ token: TOKEN, port: 0, storeDir: mkdtempSync(join(tmpdir(), 'wgs-bp-')), brokerUrl: broker.url, logLevel: 'silent', previewIdleMs: 120_000 });
  app = await buildApp(config, { store: new FileStore(config.storeDir), webDir: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app?.close();
  await broker?.stop();
});

it('keeps server memory bounded for a client that never reads, and tells it what it missed', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/preview?token=${TOKEN}`);
  const got: PreviewServerMessage[] = [];
  ws.on('message', (d) => got.push(JSON.parse(d.toString()) as PreviewServerMessage));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'start', graph: GRAPH, sources: ['bp/in'] }));
  const until = async (pred: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out; got ${JSON.stringify(got.map((m) => m.type))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await until(() => got.some((m) => m.type === 'started'), 60_000);
  // From here on the client reads nothing: the kernel buffers fill, then the server would queue.
  const socket = (ws as unknown as { _socket: Socket })._socket;
  // The publisher is in this process too: loaded and connected before the first reading, so its own
  // code is not counted as the server's growth.
  const { default: mqtt } = await import('mqtt');
  const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
  socket.pause();
  const before = serverMemory();

  let peak = before.heapAndBuffers;
  let peakRss = before.rss;
  // Every reading, in order: the first ones include the warm-up (compiled code, per-operation state).
  const readings: number[] = [];
  const started = Date.now();
  for (let sent = 0; sent < MESSAGES; sent += 100) {
    await Promise.all(Array.from({ length: 100 }, () => pub.publishAsync('bp/in', 'error', { qos: 1, properties: { userProperties: { pad: PAD } } })));
    const ahead = started + ((sent + 100) / RATE) * 1000 - Date.now();
    if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
    if ((sent + 100) % RATE) continue;
    const m = serverMemory();
    readings.push(m.heapAndBuffers);
    peak = Math.max(peak, m.heapAndBuffers);
    peakRss = Math.max(peakRss, m.rss);
  }
  await pub.endAsync();
  // Let the graph work through what is queued, still unread, reading memory meanwhile.
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    const m = serverMemory();
    readings.push(m.heapAndBuffers);
    peak = Math.max(peak, m.heapAndBuffers);
    peakRss = Math.max(peakRss, m.rss);
  }
  const grewMiB = (peak - before.heapAndBuffers) / 2 ** 20;
  // The last third (after 2,100 messages): what queued output would add, message after message.
  const lateGrowthMiB = (Math.max(...readings.slice(7)) - readings[6]!) / 2 ** 20;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  console.log(`server heap+buffers ${mib(before.heapAndBuffers)} before, ${mib(readings[6]!)} after 2100 messages, ${mib(peak)} at most (rss ${mib(before.rss)}, at most ${mib(peakRss)}) over ${MESSAGES} messages, ${MESSAGES * FAN_OUT} errors, unread`);
  // Unbounded (before the send cap and error aggregation), every error and sample queued: +19 MiB here, growing
  // linearly (about +6 MiB over the last 900 messages). Bounded: it rises over the first ~2,000 messages (warm-up
  // and bounded per-session state; 5-11 MiB depending on the machine), then stays flat.
  expect(lateGrowthMiB).toBeLessThan(3);
  expect(grewMiB).toBeLessThan(16);

  socket.resume();
  const total = () => {
    const updates = got.filter((m): m is Extract<PreviewServerMessage, { type: 'update' }> => m.type === 'update');
    return { last: updates.at(-1), errors: updates.flatMap((u) => u.errors as PreviewErrorEntry[]) };
  };
  await until(() => maps.every((m) => total().last?.counters[m]?.errors === MESSAGES), 120_000);
  const { last, errors } = total();
  // Counters exact; every error in an entry's count; the samples it missed, counted.
  expect(last!.counters.source).toMatchObject({ in: MESSAGES, errors: 0 });
  expect(errors.reduce((n, e) => n + e.count, 0)).toBe(MESSAGES * FAN_OUT);
  expect(new Set(errors.map((e) => e.message))).toEqual(new Set(['faulty: requested error']));
  // Aggregated: one entry per operation and message text per update (their number follows the run's pace),
  // far fewer than the 96,000 errors one entry each would be.
  expect(errors.length).toBeLessThan((MESSAGES * FAN_OUT) / 10);
  expect(last!.unsent?.samples).toBeGreaterThan(0);
  ws.close();
}, 240_000);

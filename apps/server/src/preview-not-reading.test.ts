/**
 * A preview client that keeps sending commands but never reads the answers
 * (its socket paused) is closed with 1008 once the server holds more than
 * four times its send-buffer limit for it, instead of the server buffering
 * answers without end. Real server, real Mosquitto, a real `ws` client.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { FileStore } from '@wgs/cluster-store';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';
import { CLOSE_NOT_READING } from './routes/preview.ts';

const TOKEN = 'not-reading-token';
const LIMIT = 16 * 1024;
const GRAPH = `
metadata: { $schema: x, name: simple, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: map, module: azure-samples/explore-iot-operations/temperature:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: map } }
  - { from: { name: map }, to: { name: sink } }
`;

let app: FastifyInstance;
let broker: Broker;
let port: number;
beforeAll(async () => {
  broker = await startMosquitto();
  const config = defaultConfig({ token: TOKEN, port: 0, storeDir: mkdtempSync(join(tmpdir(), 'wgs-nr-')), brokerUrl: broker.url, logLevel: 'silent', previewSendBufferLimit: LIMIT });
  app = await buildApp(config, { store: new FileStore(config.storeDir), webDir: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  await app?.close();
  await broker?.stop();
});

it('closes a client that sends but never reads with 1008 and the reason', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/preview?token=${TOKEN}`);
  const started = new Promise<void>((resolve) => ws.on('message', (d) => String(d).includes('"started"') && resolve()));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'start', graph: GRAPH, sources: ['nr/in'] }));
  await started;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  (ws as unknown as { _socket: Socket })._socket.pause();
  // Each answer ("no operation named …") echoes 60 KB: far past the kernel's socket buffers and four times the limit.
  const name = 'n'.repeat(60_000);
  for (let i = 0; i < 400; i++) ws.send(JSON.stringify({ type: 'inspect', operation: name }));
  await new Promise((r) => setTimeout(r, 2000));
  (ws as unknown as { _socket: Socket })._socket.resume();
  const { code, reason } = await closed;
  expect(code).toBe(CLOSE_NOT_READING);
  expect(reason).toMatch(/does not read/);
}, 60_000);

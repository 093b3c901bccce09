import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { FileStore } from '@wgs/cluster-store';
import { startKafka, startMosquitto, type Broker } from '@wgs/connectors/testing';
import { KafkaSink } from '@wgs/connectors';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';

const exec = promisify(execFile);
const TOKEN = 'test-token';
const auth = { authorization: `Bearer ${TOKEN}` };

const graphResource = (name: string, artifact = 'azure-samples/explore-iot-operations/graph-simple:1.0.0') => ({
  apiVersion: 'connectivity.iotoperations.azure.com/v1',
  kind: 'DataflowGraph',
  metadata: { name, annotations: { 'wgs.dev/layout': '{"source":[0,0]}' } },
  spec: {
    profileRef: 'default',
    nodes: [
      { nodeType: 'Source', name: 'source', sourceSettings: { endpointRef: 'default', dataSources: ['sensor/temperature/raw'] } },
      { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'embedded', artifact } },
      { nodeType: 'Destination', name: 'destination', destinationSettings: { endpointRef: 'default', dataDestination: 'sensor/temperature/processed' } },
    ],
    nodeConnections: [{ from: { name: 'source' }, to: { name: 'transform' } }, { from: { name: 'transform' }, to: { name: 'destination' } }],
  },
});

const SIMPLE = `
metadata: { $schema: x, name: preview, version: 1.0.0 }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: module-temperature/map, module: azure-samples/explore-iot-operations/temperature:1.0.0 }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: module-temperature/map } }
  - { from: { name: module-temperature/map }, to: { name: sink } }
`;

let app: FastifyInstance;
let broker: Broker;
let base: string;

beforeAll(async () => {
  broker = await startMosquitto();
  const config = defaultConfig({ token: TOKEN, port: 0, storeDir: mkdtempSync(join(tmpdir(), 'wgs-server-')), brokerUrl: broker.url, logLevel: 'silent', injectLimit: 1024, previewIdleMs: 60_000 });
  app = await buildApp(config, { store: new FileStore(config.storeDir) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  await broker?.stop();
});

describe('REST API', () => {
  it('requires the token everywhere but /healthz', async () => {
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const r = await app.inject({ url: '/api/dataflowgraphs' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ code: 'unauthorized' });
    expect((await app.inject({ url: '/api/dataflowgraphs', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
  });

  it('creates, reads, updates and deletes a DataflowGraph, with 409 on a stale version', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: graphResource('temp-converter') });
    expect(created.statusCode).toBe(201);
    const v1 = created.json();
    expect(v1.metadata.resourceVersion).toBe('1');
    const list = (await app.inject({ url: '/api/dataflowgraphs', headers: auth })).json();
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['temp-converter']);
    const updated = await app.inject({ method: 'PUT', url: '/api/dataflowgraphs/temp-converter', headers: auth, payload: { ...v1, spec: graphResource('x', 'azure-samples/explore-iot-operations/graph-complex:1.0.0').spec } });
    expect(updated.statusCode).toBe(200);
    const stale = await app.inject({ method: 'PUT', url: '/api/dataflowgraphs/temp-converter', headers: auth, payload: v1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', current: { metadata: { resourceVersion: '2' } } });
    expect((await app.inject({ method: 'DELETE', url: '/api/dataflowgraphs/temp-converter', headers: auth })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/dataflowgraphs/temp-converter', headers: auth })).statusCode).toBe(404);
  });

  it('starts with the default endpoint (embedded broker) and the embedded registry endpoint', async () => {
    const eps = (await app.inject({ url: '/api/dataflowendpoints', headers: auth })).json();
    expect(eps.items).toEqual([expect.objectContaining({ metadata: expect.objectContaining({ name: 'default' }), spec: expect.objectContaining({ endpointType: 'Mqtt' }) })]);
    expect(eps.items[0].spec.mqttSettings.host).toBe(`127.0.0.1:${broker.port}`);
    const regs = (await app.inject({ url: '/api/registryendpoints', headers: auth })).json();
    expect(regs.items.map((r: { metadata: { name: string } }) => r.metadata.name)).toEqual(['embedded']);
  });

  it('checks that the graph artifact exists in the registry endpoint', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: graphResource('ghost', 'azure-samples/explore-iot-operations/graph-ghost:1.0.0') });
    expect(r.statusCode).toBe(422);
    expect(r.json().where).toEqual([expect.objectContaining({ path: 'spec.nodes[1].graphSettings.artifact', rule: 'graph-artifact', message: expect.stringMatching(/graph-ghost/) })]);
  });

  it('checks endpoint references against the store', async () => {
    const g = graphResource('dangling');
    (g.spec.nodes[0] as { sourceSettings: { endpointRef: string } }).sourceSettings.endpointRef = 'nowhere';
    const r = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: g });
    expect(r.statusCode).toBe(422);
    expect(r.json().where).toEqual([expect.objectContaining({ path: 'spec.nodes[0].sourceSettings.endpointRef', message: 'endpoint "nowhere" not found' })]);
  });

  it('rejects an invalid manifest with located reasons and keeps nothing', async () => {
    const bad = graphResource('bad');
    bad.spec.nodes[1] = { nodeType: 'Graph', name: 'transform', graphSettings: { registryEndpointRef: 'embedded', artifact: 'no-version' } } as never;
    bad.spec.nodes.pop();
    const r = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: bad });
    expect(r.statusCode).toBe(422);
    const body = r.json();
    expect(body.code).toBe('invalid-resource');
    expect(body.where).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'spec.nodes[1].graphSettings.artifact', rule: 'artifact' }),
      expect.objectContaining({ rule: 'node-types', message: expect.stringMatching(/Destination/) }),
    ]));
    expect((await app.inject({ url: '/api/dataflowgraphs/bad', headers: auth })).statusCode).toBe(404);
  });

  it('answers malformed bodies and unknown routes with the error shape', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"kind": ' });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'bad-request' });
    const huge = await app.inject({ method: 'POST', url: '/api/graph-definitions/validate', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ yaml: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: 'payload-too-large' });
    expect((await app.inject({ url: '/nothing', headers: auth })).json()).toMatchObject({ code: 'not-found' });
    expect((await app.inject({ url: '/api/widgets', headers: auth })).json()).toMatchObject({ code: 'bad-request' });
  });

  it('validates a graph definition and locates errors', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/graph-definitions/validate', headers: auth, payload: { yaml: SIMPLE.replace('operationType: sink', 'operationType: sinks') } });
    expect(r.json()).toMatchObject({ valid: false, diagnostics: [expect.objectContaining({ path: 'operations[2].operationType', line: 7, column: 22 })] });
  });

  it('serves its OpenAPI document and Prometheus metrics', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json', headers: auth })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/{plural}', '/api/{plural}/{name}', '/api/dataflowgraphs/{name}/deploy']));
    const metrics = (await app.inject({ url: '/metrics', headers: auth })).body;
    expect(metrics).toContain('wgs_up 1');
  });

  it('says deploy needs a cluster when none is configured', async () => {
    await app.inject({ method: 'POST', url: '/api/dataflowgraphs', headers: auth, payload: graphResource('nocluster') });
    const r = await app.inject({ method: 'POST', url: '/api/dataflowgraphs/nocluster/deploy', headers: auth, payload: { apply: false } });
    expect(r.statusCode).toBe(503);
    expect(r.json().message).toMatch(/no cluster is configured/);
  });

  it('lists the saved graphs in the overview, none deployed, when no cluster is configured', async () => {
    const overview = (await app.inject({ url: '/api/graph-overview', headers: auth })).json();
    expect(overview).toMatchObject({ cluster: null, storeIsCluster: false });
    expect(overview.items).toContainEqual(expect.objectContaining({ name: 'nocluster', saved: true, deployed: false, mode: 'Enabled' }));
    expect((await app.inject({ url: '/api/info', headers: auth })).json()).toMatchObject({ cluster: null, storeIsCluster: false });
  });
});

/** A preview client over a real WebSocket. */
async function previewClient(query = `token=${TOKEN}`, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://${base}/api/preview?${query}`, { headers });
  const messages: { type: string; [k: string]: unknown }[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const waitFor = async (pred: (m: { type: string; [k: string]: unknown }) => boolean, ms = 15_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const found = messages.find(pred);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out; got ${JSON.stringify(messages.map((m) => m.type))}`);
  };
  return { ws, messages, waitFor, send: (m: unknown) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)) };
}

describe('live preview over WebSocket', () => {
  it('shows what mosquitto_pub sends, converted at the map output', async () => {
    const c = await previewClient();
    c.send({ type: 'start', graph: SIMPLE, sources: ['sensor/temperature/raw'] });
    await c.waitFor((m) => m.type === 'started');
    await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'sensor/temperature/raw', '-m', '{"temperature":{"value":1209,"unit":"F"}}']);
    const update = await c.waitFor((m) => m.type === 'update' && (m.samples as { operation: string; event: string }[]).some((s) => s.operation === 'module-temperature/map' && s.event === 'out'));
    const sample = (update.samples as { operation: string; event: string; item: { data: string } }[]).find((s) => s.operation === 'module-temperature/map' && s.event === 'out')!;
    expect(JSON.parse(sample.item.data).temperature).toMatchObject({ value: 653.8888888888889, unit: 'C' });
    c.ws.close();
  });

  it('writes the destination only in a live run', async () => {
    const sub = spawn('mosquitto_sub', ['-p', String(broker.port), '-V', 'mqttv5', '-t', 'dest/#', '-F', '%t|%p']);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => setTimeout(r, 300));
    const dry = await previewClient();
    dry.send({ type: 'start', graph: SIMPLE, sources: ['dry/in'] });
    await dry.waitFor((m) => m.type === 'started');
    await exec('mosquitto_pub', ['-p', String(broker.port), '-t', 'dry/in', '-m', '{"temperature":{"value":212,"unit":"F"}}']);
    await dry.waitFor((m) => m.type === 'update' && (m.counters as Record<string, { in: number }>).sink?.in === 1);
    const live = await previewClient();
    live.send({ type: 'start', graph: SIMPLE, sources: ['live/in'], liveRun: { destination: 'dest/live' } });
    await live.waitFor((m) => m.type === 'started');
    await exec('mosquitto_pub', ['-p', String(broker.port), '-t', 'live/in', '-m', '{"temperature":{"value":212,"unit":"F"}}']);
    await live.waitFor((m) => m.type === 'update' && (m.counters as Record<string, { in: number }>).sink?.in === 1);
    await new Promise((r) => setTimeout(r, 500));
    sub.kill();
    const lines = out.trim().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dest\/live\|\{"temperature":\{"value":100\.0,/);
    dry.ws.close();
    live.ws.close();
  });

  it('rejects bad input without closing the session: non-JSON, unknown commands, invalid graphs, oversized injections', async () => {
    const c = await previewClient();
    c.send('not json');
    expect(await c.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'bad-request', message: expect.stringMatching(/not JSON/) });
    c.send({ type: 'explode' });
    await c.waitFor((m) => m.type === 'error' && /not a preview command/.test(String(m.message)));
    c.send({ type: 'start', graph: SIMPLE.replace('module: azure', 'modul: azure'), sources: ['x'] });
    const invalid = await c.waitFor((m) => m.code === 'invalid-graph');
    expect(invalid.where).toEqual(expect.arrayContaining([expect.objectContaining({ line: 6 })]));
    c.send({ type: 'start', graph: SIMPLE, sources: ['x/none'] });
    await c.waitFor((m) => m.type === 'started');
    c.send({ type: 'inject', message: { topic: 'x', payload: 'y'.repeat(2000) } });
    await c.waitFor((m) => m.code === 'payload-too-large');
    c.send({ type: 'inject', operation: 'module-temperature/map', message: { topic: 'x', payload: '{"temperature":{"value":32,"unit":"F"}}' } });
    const u = await c.waitFor((m) => m.type === 'update' && (m.counters as Record<string, { out: number }>)['module-temperature/map']?.out === 1);
    expect((u.counters as Record<string, { in: number }>).source!.in).toBe(0);
    c.ws.close();
  });

  it('ends an idle session and releases it', async () => {
    const idleConfig = defaultConfig({ token: TOKEN, port: 0, storeDir: mkdtempSync(join(tmpdir(), 'wgs-idle-')), brokerUrl: broker.url, logLevel: 'silent', previewIdleMs: 1500 });
    const idleApp = await buildApp(idleConfig, { store: new FileStore(idleConfig.storeDir) });
    await idleApp.listen({ host: '127.0.0.1', port: 0 });
    const port = (idleApp.server.address() as { port: number }).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/preview?token=${TOKEN}`);
    const got: { type: string }[] = [];
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'start', graph: SIMPLE, sources: ['idle/in'] }));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    expect(await closed).toBe(1000);
    expect(got.map((m) => m.type)).toEqual(expect.arrayContaining(['started', 'stopped']));
    const metrics = (await idleApp.inject({ url: '/metrics', headers: auth })).body;
    expect(metrics).toContain('wgs_preview_sessions 0');
    await idleApp.close();
  }, 30_000);

  it('refuses the wrong token and foreign origins', async () => {
    await expect(previewClient('token=nope')).rejects.toThrow(/401/);
    await expect(previewClient(`token=${TOKEN}`, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });
});

describe('live preview under load and faults', () => {
  it('keeps per-node counts exact at 5,000 msg/s while samples stay under the rate', async () => {
    const { default: mqtt } = await import('mqtt');
    const c = await previewClient();
    c.send({ type: 'start', graph: SIMPLE, sources: ['load/#'] });
    await c.waitFor((m) => m.type === 'started');
    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const total = 10_000;
    const started = Date.now();
    // 5,000 msg/s: 50 messages every 10 ms.
    for (let sent = 0; sent < total; sent += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => pub.publishAsync(`load/${(sent + i) % 7}`, `{"temperature":{"value":${sent + i},"unit":"F"}}`, { qos: 1 })));
      const ahead = started + ((sent + 50) / 5000) * 1000 - Date.now();
      if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
    }
    await pub.endAsync();
    const final = await c.waitFor((m) => m.type === 'update' && (m.counters as Record<string, { out: number }>)['module-temperature/map']?.out === total, 60_000);
    const seconds = (Date.now() - started) / 1000;
    expect((final.counters as Record<string, unknown>)['module-temperature/map']).toEqual({ in: total, out: total, dropped: 0, errors: 0 });
    const samples = c.messages.filter((m) => m.type === 'update').flatMap((m) => m.samples as { operation: string }[]);
    // Default rate: 10 per second per operation and event kind (3 operations, in and out), plus the initial burst.
    expect(samples.length).toBeLessThanOrEqual(3 * 2 * (10 * seconds + 10));
    expect(samples.length).toBeGreaterThan(10);
    c.ws.close();
  }, 120_000);

  it('reports a looping operator in its own session while another session keeps flowing', async () => {
    const FAULTY = SIMPLE.replaceAll('module-temperature/map', 'faulty').replace('azure-samples/explore-iot-operations/temperature:1.0.0', 'wgs-samples/faulty:1.0.0');
    const bad = await previewClient();
    const good = await previewClient();
    bad.send({ type: 'start', graph: FAULTY, sources: ['faults/in'] });
    good.send({ type: 'start', graph: SIMPLE, sources: ['good/in'] });
    await bad.waitFor((m) => m.type === 'started');
    await good.waitFor((m) => m.type === 'started');
    await exec('mosquitto_pub', ['-p', String(broker.port), '-t', 'faults/in', '-m', 'loop']);
    for (let i = 0; i < 5; i++) await exec('mosquitto_pub', ['-p', String(broker.port), '-t', 'good/in', '-m', '{"temperature":{"value":50,"unit":"F"}}']);
    const err = await bad.waitFor((m) => m.type === 'update' && (m.errors as unknown[]).length > 0, 30_000);
    expect((err.errors as { operation: string; message: string }[])[0]).toMatchObject({ operation: 'faulty', message: expect.stringMatching(/deadline/) });
    await good.waitFor((m) => m.type === 'update' && (m.counters as Record<string, { out: number }>)['module-temperature/map']?.out === 5, 30_000);
    expect(good.messages.filter((m) => m.type === 'update').flatMap((m) => m.errors as unknown[])).toEqual([]);
    bad.ws.close();
    good.ws.close();
  }, 60_000);
});

describe('preview sources', () => {
  it('reads from the DataflowEndpoint the client names, and explains what it cannot read', async () => {
    const other = await startMosquitto();
    try {
      const ep = (name: string, spec: object) => app.inject({ method: 'POST', url: '/api/dataflowendpoints', headers: auth, payload: { apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name }, spec } });
      expect((await ep('plant-broker', { endpointType: 'Mqtt', mqttSettings: { host: `127.0.0.1:${other.port}` } })).statusCode).toBe(201);
      expect((await ep('events', { endpointType: 'Kafka', kafkaSettings: { host: 'kafka:9093', consumerGroupId: 'g', tls: { mode: 'Enabled' }, authentication: { method: 'Sasl', saslSettings: { saslType: 'Plain', secretRef: 's' } } } })).statusCode).toBe(201);
      const c = await previewClient();
      c.send({ type: 'start', graph: SIMPLE, sources: ['plant/t'], endpoint: 'plant-broker' });
      await c.waitFor((m) => m.type === 'started');
      await exec('mosquitto_pub', ['-p', String(other.port), '-t', 'plant/t', '-m', '{"temperature":{"value":32,"unit":"F"}}']);
      await c.waitFor((m) => m.type === 'update' && (m.counters as Record<string, { out: number }>)['module-temperature/map']?.out === 1);
      c.send({ type: 'start', graph: SIMPLE, sources: ['x'], endpoint: 'events' });
      expect(await c.waitFor((m) => m.type === 'error' && m.code === 'start-failed')).toMatchObject({ message: expect.stringMatching(/needs TLS or Sasl authentication; only plain, anonymous Kafka endpoints are supported/) });
      c.send({ type: 'start', graph: SIMPLE, sources: ['x'], endpoint: 'nowhere' });
      await c.waitFor((m) => m.type === 'error' && /"nowhere" not found/.test(String(m.message)));
      c.ws.close();
    } finally {
      await other.stop();
    }
  }, 30_000);

  it('previews on a Kafka endpoint: records in, converted messages at the map', async () => {
    const kafka = await startKafka();
    try {
      const created = await app.inject({ method: 'POST', url: '/api/dataflowendpoints', headers: auth, payload: {
        apiVersion: 'connectivity.iotoperations.azure.com/v1', kind: 'DataflowEndpoint', metadata: { name: 'plant-kafka' },
        spec: { endpointType: 'Kafka', kafkaSettings: { host: kafka.bootstrap, consumerGroupId: 'dataflows', authentication: { method: 'Anonymous', anonymousSettings: {} } } },
      } });
      expect(created.statusCode, created.body).toBe(201);
      const c = await previewClient();
      c.send({ type: 'start', graph: SIMPLE, sources: ['temperature-raw'], endpoint: 'plant-kafka' });
      await c.waitFor((m) => m.type === 'started', 60_000);
      const sink = new KafkaSink({ url: kafka.url });
      await sink.start();
      await sink.publish({ topic: 'temperature-raw', payload: new TextEncoder().encode('{"temperature":{"value":212,"unit":"F"}}'), userProperties: [['__ts', '1758255553528:0:df']] });
      await sink.stop();
      const update = await c.waitFor((m) => m.type === 'update' && (m.counters as Record<string, { out: number }>)['module-temperature/map']?.out === 1, 30_000);
      expect(update.type).toBe('update');
      c.ws.close();
    } finally {
      await kafka.stop();
    }
  }, 120_000);
});

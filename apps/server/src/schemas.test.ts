/**
 * Message schemas in the embedded store: `/api/schemas` on the real app over a
 * temporary store folder (files checked on disk), and a data flow preview over
 * the real WebSocket whose connections name one (real Mosquitto, the REAL
 * built-in filter with validateSchema and the sample temperature map, which
 * logs the module schemas it got at init). Needs `pnpm build`.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '@wgs/cluster-store';
import { startMosquitto, type Broker } from '@wgs/connectors/testing';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';

const exec = promisify(execFile);
const TOKEN = 'schema-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const TEMPERATURE = JSON.stringify({ type: 'object', required: ['temperature'], properties: { temperature: { type: 'object', required: ['value'], properties: { value: { type: 'number' } } } } });
const URL_1 = '/api/schemas/factory/temperature/1';

let app: FastifyInstance;
let broker: Broker;
let storeDir: string;
let base: string;

beforeAll(async () => {
  broker = await startMosquitto();
  storeDir = mkdtempSync(join(tmpdir(), 'wgs-schemas-'));
  const config = defaultConfig({ token: TOKEN, port: 0, storeDir, brokerUrl: broker.url, logLevel: 'silent', previewIdleMs: 60_000 });
  app = await buildApp(config, { store: new FileStore(storeDir), webDir: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app?.close();
  await broker?.stop();
  rmSync(storeDir, { recursive: true, force: true });
});

const put = (url: string, payload: unknown) => app.inject({ method: 'PUT', url, headers: auth, payload: payload as object });

describe('/api/schemas (embedded store)', () => {
  it('creates, replaces, reads, lists and deletes a schema kept as a file in the store folder', async () => {
    expect((await app.inject({ url: '/api/schemas', headers: auth })).json()).toMatchObject({ items: [], problems: [] });
    const created = await put(URL_1, { content: TEMPERATURE });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ namespace: 'factory', name: 'temperature', version: '1', format: 'json', ref: 'aio-sr://factory/temperature:1', content: TEMPERATURE });
    const file = join(storeDir, 'schemas', 'factory', 'temperature', '1.json');
    expect(readFileSync(file, 'utf8')).toBe(TEMPERATURE);
    const replaced = await put(URL_1, { format: 'json', content: '{"type":"object"}' });
    expect(replaced.statusCode).toBe(200);
    expect(readFileSync(file, 'utf8')).toBe('{"type":"object"}');
    expect((await app.inject({ url: URL_1, headers: auth })).json()).toMatchObject({ content: '{"type":"object"}', ref: 'aio-sr://factory/temperature:1' });
    expect((await put('/api/schemas/factory/temperature/2.0', { content: TEMPERATURE })).statusCode).toBe(201);
    const list = (await app.inject({ url: '/api/schemas', headers: auth })).json();
    expect(list.items.map((s: { ref: string }) => s.ref)).toEqual(['aio-sr://factory/temperature:1', 'aio-sr://factory/temperature:2.0']);
    expect(list.store).toContain(join(storeDir, 'schemas'));
    expect((await app.inject({ method: 'DELETE', url: '/api/schemas/factory/temperature/2.0', headers: auth })).statusCode).toBe(204);
    const gone = await app.inject({ method: 'DELETE', url: '/api/schemas/factory/temperature/2.0', headers: auth });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'not-found', message: expect.stringContaining('schema aio-sr://factory/temperature:2.0 not found') });
    expect((await app.inject({ url: '/api/schemas/factory/temperature/9', headers: auth })).statusCode).toBe(404);
    expect(existsSync(join(storeDir, 'schemas', 'factory', 'temperature', '2.0.json'))).toBe(false);
  });

  it('refuses bad JSON, non-object schemas, bad names and bad bodies with clear 4xx errors', async () => {
    const notJson = await put(URL_1, { content: '{"type":' });
    expect(notJson.statusCode).toBe(422);
    expect(notJson.json()).toMatchObject({ code: 'invalid-schema', message: expect.stringMatching(/^schema aio-sr:\/\/factory\/temperature:1: the schema is not JSON: /) });
    const array = await put(URL_1, { content: '[{"type":"object"}]' });
    expect(array.statusCode).toBe(422);
    expect(array.json()).toMatchObject({ code: 'invalid-schema', message: 'schema aio-sr://factory/temperature:1: a JSON schema must be a JSON object' });
    const badName = await put('/api/schemas/factory/temp%20erature/1', { content: TEMPERATURE });
    expect(badName.statusCode).toBe(400);
    expect(badName.json()).toMatchObject({ code: 'invalid-name', message: expect.stringContaining('schema name "temp erature" must be 1-63 letters') });
    expect((await app.inject({ url: '/api/schemas/-factory/temperature/1', headers: auth })).json()).toMatchObject({ code: 'invalid-name' });
    const noContent = await put(URL_1, { format: 'json' });
    expect(noContent.statusCode).toBe(400);
    expect(noContent.json()).toMatchObject({ code: 'bad-request' });
    const badFormat = await put(URL_1, { format: 'avro', content: '{}' });
    expect(badFormat.statusCode).toBe(400);
    const bodyNotJson = await app.inject({ method: 'PUT', url: URL_1, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"content":' });
    expect(bodyNotJson.statusCode).toBe(400);
    expect(bodyNotJson.json()).toMatchObject({ code: 'bad-request' });
    expect((await app.inject({ url: '/api/schemas', headers: {} })).statusCode).toBe(401);
  });
});

/** A data flow whose Source -> check connection and check -> convert connection name the temperature schema. */
const dataflow = (schemaRef: string) => `
apiVersion: connectivity.iotoperations.azure.com/v1
kind: DataflowGraph
metadata: { name: schema-flow, namespace: azure-iot-operations }
spec:
  nodes:
    - { nodeType: Source, name: sensors, sourceSettings: { endpointRef: default, dataSources: [schema/in] } }
    - nodeType: Graph
      name: check
      graphSettings:
        registryEndpointRef: default
        artifact: azureiotoperations/graph-dataflow-filter:1.0.0
        configuration: [{ key: rules, value: '{"validateSchema":true,"filter":[]}' }]
    - nodeType: Graph
      name: convert
      graphSettings: { registryEndpointRef: default, artifact: azure-samples/explore-iot-operations/graph-simple:1.0.0 }
    - { nodeType: Destination, name: out, destinationSettings: { endpointRef: default, dataDestination: schema/out } }
  nodeConnections:
    - { from: { name: sensors, schema: { schemaRef: "${schemaRef}", serializationFormat: Json } }, to: { name: check } }
    - { from: { name: check, schema: { schemaRef: "aio-sr://factory/temperature:1", serializationFormat: Json } }, to: { name: convert } }
    - { from: { name: convert }, to: { name: out } }
`;

type Message = { type: string; [k: string]: unknown };

async function previewClient() {
  const ws = new WebSocket(`ws://${base}/api/preview?token=${TOKEN}`, { headers: { origin: `http://${base}` } });
  const messages: Message[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as Message));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const waitFor = async (pred: (m: Message) => boolean, ms = 30_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const found = messages.findLast(pred);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out; got ${JSON.stringify(messages.map((m) => m.type))} last ${JSON.stringify(messages.at(-1))}`);
  };
  return { ws, messages, waitFor, send: (m: unknown) => ws.send(JSON.stringify(m)) };
}

describe('data flow preview with connection schemas', () => {
  it('the filter drops the samples that do not conform; the schema reaches the modules of the node its connection enters', async () => {
    expect((await put(URL_1, { content: TEMPERATURE })).statusCode).toBeLessThan(300);
    const c = await previewClient();
    try {
      c.send({ type: 'start', dataflow: dataflow('aio-sr://factory/temperature:1') });
      expect(await c.waitFor((m) => m.type === 'started' || m.type === 'error')).toMatchObject({ type: 'started' });
      for (const payload of [{ temperature: { value: 212, unit: 'F' } }, { temperature: { value: 'hot', unit: 'F' } }, { humidity: 40 }, { temperature: { value: 32, unit: 'F' } }]) {
        await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'schema/in', '-m', JSON.stringify(payload)]);
      }
      const update = await c.waitFor((m) => m.type === 'update' && ((m.counters as Record<string, { in: number }>).out?.in ?? 0) >= 2);
      const counters = update.counters as Record<string, { in: number; out: number; dropped: number; errors: number }>;
      expect(counters['check/filter']).toMatchObject({ in: 4, out: 2, dropped: 2, errors: 0 });
      expect(counters['convert/module-temperature/map']).toMatchObject({ in: 2, out: 2, errors: 0 });
      c.send({ type: 'inspect', operation: 'out' });
      const inspected = await c.waitFor((m) => m.type === 'inspect');
      expect((inspected.samples as { item: { data: string } }[]).map((s) => JSON.parse(s.item.data).temperature)).toMatchObject([{ value: 100, unit: 'C' }, { value: 0, unit: 'C' }]);
      // Module schemas at init (reference §2.4): the map, behind check -> convert, logs the one it got.
      const logs = c.messages.filter((m) => m.type === 'update').flatMap((m) => m.logs as { operation: string; message: string }[]);
      expect(logs.filter((l) => l.message.startsWith('schema ')).map((l) => `${l.operation}: ${l.message}`)).toEqual(['convert/module-temperature/map: schema temperature (application/schema+json)']);
    } finally {
      c.ws.close();
    }
  });

  it('a schema not in the store is an error naming the connection and node; the connection keeps serving', async () => {
    const c = await previewClient();
    try {
      c.send({ type: 'start', dataflow: dataflow('aio-sr://factory/missing:3') });
      const error = await c.waitFor((m) => m.type === 'error' || m.type === 'started');
      expect(error).toMatchObject({
        type: 'error',
        code: 'schema-not-found',
        message: expect.stringContaining('schema aio-sr://factory/missing:3 (read by "check") is not in schema folder'),
        where: [expect.objectContaining({ path: 'spec.nodeConnections[0].from.schema.schemaRef', rule: 'schema-registry' })],
      });
      c.send({ type: 'start', dataflow: dataflow('aio-sr://factory/temperature:1') });
      expect(await c.waitFor((m) => m.type === 'started')).toMatchObject({ type: 'started' });
    } finally {
      c.ws.close();
    }
  });

  it('a definition preview with a schemaRef configuration (the filter opened from its node) gets that schema', async () => {
    const filterGraph = readFileSync(fileURLToPath(new URL('../../../packages/operators/builtins/graph-dataflow-filter.yaml', import.meta.url)), 'utf8');
    const c = await previewClient();
    try {
      const configuration = { rules: '{"validateSchema":true,"filter":[]}', schemaRef: 'aio-sr://factory/temperature:1' };
      c.send({ type: 'start', graph: filterGraph, configuration, sources: ['definition/in'] });
      expect(await c.waitFor((m) => m.type === 'started' || m.type === 'error')).toMatchObject({ type: 'started' });
      for (const payload of [{ humidity: 1 }, { temperature: { value: 5 } }]) {
        await exec('mosquitto_pub', ['-p', String(broker.port), '-V', 'mqttv5', '-q', '1', '-t', 'definition/in', '-m', JSON.stringify(payload)]);
      }
      const update = await c.waitFor((m) => m.type === 'update' && ((m.counters as Record<string, { in: number }>).filter?.in ?? 0) >= 2);
      expect((update.counters as Record<string, unknown>).filter).toMatchObject({ in: 2, out: 1, dropped: 1 });
      c.send({ type: 'start', graph: filterGraph, configuration: { ...configuration, schemaRef: 'aio-sr://factory/none:1' }, sources: ['definition/in'] });
      expect(await c.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'schema-not-found', where: [expect.objectContaining({ path: 'configuration.schemaRef' })] });
    } finally {
      c.ws.close();
    }
  });
});

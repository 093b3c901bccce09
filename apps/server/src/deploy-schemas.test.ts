/**
 * The deploy plan warns about message schemas the draft names that the
 * cluster does not hold (the engine would report SchemaNotFound). The real
 * app; file stores as the drafts and as the cluster (its schema folder).
 * Needs `pnpm build` (the built-in filter in the embedded registry).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_VERSION, FileStore } from '@wgs/cluster-store';
import { buildApp } from './app.ts';
import { defaultConfig } from './config.ts';

const TOKEN = 'deploy-schema-token';
const auth = { authorization: `Bearer ${TOKEN}` };
let app: FastifyInstance;
let cluster: FileStore;
const dirs: string[] = [];

const draft = {
  apiVersion: API_VERSION,
  kind: 'DataflowGraph',
  metadata: { name: 'checked' },
  spec: {
    profileRef: 'default',
    nodes: [
      { nodeType: 'Source', name: 'sensors', sourceSettings: { endpointRef: 'default', dataSources: ['in'] } },
      { nodeType: 'Graph', name: 'check', graphSettings: { registryEndpointRef: 'default', artifact: 'azureiotoperations/graph-dataflow-filter:1.0.0', configuration: [{ key: 'rules', value: '{"validateSchema":true,"filter":[]}' }] } },
      { nodeType: 'Destination', name: 'out', destinationSettings: { endpointRef: 'default', dataDestination: 'out' } },
    ],
    nodeConnections: [
      { from: { name: 'sensors', schema: { schemaRef: 'aio-sr://factory/temperature:1', serializationFormat: 'Json' } }, to: { name: 'check' } },
      { from: { name: 'check' }, to: { name: 'out' } },
    ],
  },
};

beforeAll(async () => {
  const dir = (p: string) => {
    const d = mkdtempSync(join(tmpdir(), p));
    dirs.push(d);
    return d;
  };
  const config = defaultConfig({ token: TOKEN, port: 0, storeDir: dir('wgs-deploy-schemas-'), logLevel: 'silent' });
  cluster = new FileStore(dir('wgs-deploy-schemas-cluster-'));
  app = await buildApp(config, { store: new FileStore(config.storeDir), cluster, webDir: false });
});
afterAll(async () => {
  await app?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('deploy plan and message schemas', () => {
  it('warns, located, while the cluster lacks a schema the draft names; no warning once it is there', async () => {
    const plan = await app.inject({ method: 'POST', url: '/api/dataflowgraphs/checked/deploy', headers: auth, payload: { draft } });
    expect(plan.statusCode, plan.body).toBe(200);
    expect(plan.json().warnings).toEqual([expect.objectContaining({
      path: 'spec.nodeConnections[0].from.schema.schemaRef',
      severity: 'warning',
      message: expect.stringContaining('schema aio-sr://factory/temperature:1 (read by "check") is not in schema folder'),
    })]);
    await cluster.schemas.put({ namespace: 'factory', name: 'temperature', version: '1', format: 'json', content: '{"type":"object"}' });
    const after = await app.inject({ method: 'POST', url: '/api/dataflowgraphs/checked/deploy', headers: auth, payload: { draft } });
    expect(after.statusCode).toBe(200);
    expect(after.json().warnings).toBeUndefined();
  });
});
